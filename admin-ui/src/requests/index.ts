import QueueIcon from '@mui/icons-material/AssignmentOutlined';
import { RequestCreate } from './create/RequestCreate.tsx';
import { RequestList } from './RequestList.tsx';
import { RequestShow } from './RequestShow.tsx';

export default { list: RequestList, show: RequestShow, create: RequestCreate, icon: QueueIcon, recordRepresentation: 'number' };
