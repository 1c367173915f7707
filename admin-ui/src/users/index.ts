import UserIcon from '@mui/icons-material/PeopleOutlineOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const UserList = lazyPage(() => import('./UserPages.tsx'), 'UserList');
const UserEdit = lazyPage(() => import('./UserPages.tsx'), 'UserEdit');
const UserCreate = lazyPage(() => import('./UserPages.tsx'), 'UserCreate');
const UserShow = lazyPage(() => import('./UserPages.tsx'), 'UserShow');

export default { list: UserList, show: UserShow, edit: UserEdit, create: UserCreate, icon: UserIcon, recordRepresentation: 'name' };
