import TokenIcon from '@mui/icons-material/TokenOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const ApiTokenList = lazyPage(() => import('./ApiTokenPages.tsx'), 'ApiTokenList');
const ApiTokenCreate = lazyPage(() => import('./ApiTokenPages.tsx'), 'ApiTokenCreate');

export default { list: ApiTokenList, create: ApiTokenCreate, icon: TokenIcon, recordRepresentation: 'name' };
