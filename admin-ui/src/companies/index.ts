import CompanyIcon from '@mui/icons-material/BusinessOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const CompanyList = lazyPage(() => import('./CompanyPages.tsx'), 'CompanyList');
const CompanyEdit = lazyPage(() => import('./CompanyPages.tsx'), 'CompanyEdit');
const CompanyCreate = lazyPage(() => import('./CompanyPages.tsx'), 'CompanyCreate');
const CompanyShow = lazyPage(() => import('./CompanyPages.tsx'), 'CompanyShow');

export default { list: CompanyList, show: CompanyShow, edit: CompanyEdit, create: CompanyCreate, icon: CompanyIcon, recordRepresentation: 'name' };
