import KeyIcon from '@mui/icons-material/EnhancedEncryptionOutlined';
import { SigningKeyList } from './SigningKeyList.tsx';

export default { list: SigningKeyList, icon: KeyIcon };
