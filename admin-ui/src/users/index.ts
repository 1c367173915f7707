import UserIcon from '@mui/icons-material/PeopleOutlineOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const UserList = lazyPage(() => import('./UserPages.tsx'), 'UserList');
const UserEdit = lazyPage(() => import('./UserPages.tsx'), 'UserEdit');
const UserCreate = lazyPage(() => import('./UserPages.tsx'), 'UserCreate');

export default { list: UserList, edit: UserEdit, create: UserCreate, icon: UserIcon, recordRepresentation: 'name' };
