import StockIcon from '@mui/icons-material/Inventory2Outlined';
import { lazyPage } from '../common/lazyPage.ts';

const StockList = lazyPage(() => import('./StockList.tsx'), 'StockList');

export default { list: StockList, icon: StockIcon };
