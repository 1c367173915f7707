import LedgerIcon from '@mui/icons-material/ReceiptLongOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const LedgerList = lazyPage(() => import('./LedgerList.tsx'), 'LedgerList');

export default { list: LedgerList, icon: LedgerIcon };
