import LicenseIcon from '@mui/icons-material/VpnKeyOutlined';
import { lazyPage } from '../common/lazyPage.ts';

const LicenseList = lazyPage(() => import('./LicenseList.tsx'), 'LicenseList');
const LicenseShow = lazyPage(() => import('./LicenseShow.tsx'), 'LicenseShow');

export default { list: LicenseList, show: LicenseShow, icon: LicenseIcon, recordRepresentation: 'serial' };
