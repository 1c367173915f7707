import TokenIcon from '@mui/icons-material/TokenOutlined';
import { ApiTokenCreate, ApiTokenList } from './ApiTokenPages.tsx';

export default { list: ApiTokenList, create: ApiTokenCreate, icon: TokenIcon, recordRepresentation: 'name' };
