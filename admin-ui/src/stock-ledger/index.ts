import LedgerIcon from '@mui/icons-material/ReceiptLongOutlined';
import { LedgerList } from './LedgerList.tsx';

export default { list: LedgerList, icon: LedgerIcon };
