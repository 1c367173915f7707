import KeyIcon from '@mui/icons-material/EnhancedEncryptionOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const SigningKeyList = lazyPage(() => import('./SigningKeyList.tsx'), 'SigningKeyList');

export default { list: SigningKeyList, icon: KeyIcon };
