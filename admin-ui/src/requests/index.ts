import QueueIcon from '@mui/icons-material/AssignmentOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const RequestList = lazyPage(() => import('./RequestList.tsx'), 'RequestList');
const RequestShow = lazyPage(() => import('./RequestShow.tsx'), 'RequestShow');
const RequestCreate = lazyPage(() => import('./create/RequestCreate.tsx'), 'RequestCreate');

export default { list: RequestList, show: RequestShow, create: RequestCreate, icon: QueueIcon, recordRepresentation: 'number' };
