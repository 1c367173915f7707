import CompanyIcon from '@mui/icons-material/BusinessOutlined';
import { CompanyCreate, CompanyEdit, CompanyList } from './CompanyPages.tsx';

export default { list: CompanyList, edit: CompanyEdit, create: CompanyCreate, icon: CompanyIcon, recordRepresentation: 'name' };
