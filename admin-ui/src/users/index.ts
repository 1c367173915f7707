import UserIcon from '@mui/icons-material/PeopleOutlineOutlined';
import { UserCreate, UserEdit, UserList } from './UserPages.tsx';

export default { list: UserList, edit: UserEdit, create: UserCreate, icon: UserIcon, recordRepresentation: 'name' };
