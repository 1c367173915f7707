import LicenseIcon from '@mui/icons-material/VpnKeyOutlined';
import { LicenseList } from './LicenseList.tsx';
import { LicenseShow } from './LicenseShow.tsx';

export default { list: LicenseList, show: LicenseShow, icon: LicenseIcon, recordRepresentation: 'serial' };
