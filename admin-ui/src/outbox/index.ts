import MailIcon from '@mui/icons-material/MailOutlineOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const OutboxList = lazyPage(() => import('./OutboxPages.tsx'), 'OutboxList');
const OutboxShow = lazyPage(() => import('./OutboxPages.tsx'), 'OutboxShow');

export default { list: OutboxList, show: OutboxShow, icon: MailIcon, recordRepresentation: 'subject' };
