import CompanyIcon from '@mui/icons-material/BusinessOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const CompanyList = lazyPage(() => import('./CompanyPages.tsx'), 'CompanyList');
const CompanyEdit = lazyPage(() => import('./CompanyPages.tsx'), 'CompanyEdit');
const CompanyCreate = lazyPage(() => import('./CompanyPages.tsx'), 'CompanyCreate');

export default { list: CompanyList, edit: CompanyEdit, create: CompanyCreate, icon: CompanyIcon, recordRepresentation: 'name' };
