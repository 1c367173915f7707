import ProductIcon from '@mui/icons-material/CategoryOutlined';
import { ProductCreate, ProductEdit, ProductList } from './ProductPages.tsx';

export default { list: ProductList, edit: ProductEdit, create: ProductCreate, icon: ProductIcon, recordRepresentation: 'name' };
