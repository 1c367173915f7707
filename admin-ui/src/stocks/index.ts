import StockIcon from '@mui/icons-material/Inventory2Outlined';
import { StockList } from './StockList.tsx';

export default { list: StockList, icon: StockIcon };
