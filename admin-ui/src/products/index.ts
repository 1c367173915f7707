import ProductIcon from '@mui/icons-material/CategoryOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const ProductList = lazyPage(() => import('./ProductPages.tsx'), 'ProductList');
const ProductEdit = lazyPage(() => import('./ProductPages.tsx'), 'ProductEdit');
const ProductCreate = lazyPage(() => import('./ProductPages.tsx'), 'ProductCreate');

export default { list: ProductList, edit: ProductEdit, create: ProductCreate, icon: ProductIcon, recordRepresentation: 'name' };
