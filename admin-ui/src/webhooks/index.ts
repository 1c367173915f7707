import WebhookIcon from '@mui/icons-material/Webhook';
import { lazyPage } from '../common/lazyPage.ts';

const WebhookEndpointList = lazyPage(() => import('./WebhookPages.tsx'), 'WebhookEndpointList');
const WebhookEndpointCreate = lazyPage(() => import('./WebhookPages.tsx'), 'WebhookEndpointCreate');
const WebhookEndpointShow = lazyPage(() => import('./WebhookPages.tsx'), 'WebhookEndpointShow');

export default { list: WebhookEndpointList, create: WebhookEndpointCreate, show: WebhookEndpointShow, icon: WebhookIcon, recordRepresentation: 'url' };
