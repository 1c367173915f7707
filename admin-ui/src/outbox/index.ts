import MailIcon from '@mui/icons-material/MailOutlineOutlined';
import { OutboxList, OutboxShow } from './OutboxPages.tsx';

export default { list: OutboxList, show: OutboxShow, icon: MailIcon, recordRepresentation: 'subject' };
