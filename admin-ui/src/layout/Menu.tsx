import type { ReactElement } from 'react';
import { Box, Divider, ListSubheader } from '@mui/material';
import DashboardIcon from '@mui/icons-material/SpaceDashboardOutlined';
import QueueIcon from '@mui/icons-material/AssignmentOutlined';
import AddIcon from '@mui/icons-material/AddCircleOutlineOutlined';
import LicenseIcon from '@mui/icons-material/VpnKeyOutlined';
import StockIcon from '@mui/icons-material/Inventory2Outlined';
import LedgerIcon from '@mui/icons-material/ReceiptLongOutlined';
import ReportIcon from '@mui/icons-material/AssessmentOutlined';
import CompanyIcon from '@mui/icons-material/BusinessOutlined';
import UserIcon from '@mui/icons-material/PeopleOutlineOutlined';
import ProductIcon from '@mui/icons-material/CategoryOutlined';
import MailIcon from '@mui/icons-material/MailOutlineOutlined';
import KeyIcon from '@mui/icons-material/EnhancedEncryptionOutlined';
import TokenIcon from '@mui/icons-material/TokenOutlined';
import { Menu as RaMenu, useCanAccess, usePermissions, useSidebarState } from 'react-admin';
import { isDeskRole, type Role } from '../access.ts';

/** A menu entry shown only when `authProvider.canAccess({ resource, action })` allows it. */
function AccessItem(props: { resource: string; action?: string; to: string; label: string; icon: ReactElement }) {
  const { canAccess } = useCanAccess({ resource: props.resource, action: props.action ?? 'list' });
  if (!canAccess) return null;
  return <RaMenu.Item to={props.to} primaryText={props.label} leftIcon={props.icon} />;
}

function Section({ title }: { title: string }) {
  const [open] = useSidebarState();
  return open ? (
    <ListSubheader
      component="div"
      sx={{ bgcolor: 'transparent', lineHeight: '32px', mt: 1, color: '#4a5565', fontSize: 12, textTransform: 'uppercase', letterSpacing: 0.6 }}
    >
      {title}
    </ListSubheader>
  ) : (
    <Divider sx={{ my: 1 }} />
  );
}

/** Desk staff get the back office; partners get the portal. Every entry asks canAccess. */
export function Menu() {
  const { permissions } = usePermissions<Role>();
  if (!permissions) return <RaMenu />;
  if (isDeskRole(permissions)) {
    return (
      <RaMenu>
        <RaMenu.Item to="/" primaryText="Dashboard" leftIcon={<DashboardIcon />} />
        <Section title="Desk" />
        <AccessItem resource="requests" to="/requests" label="Queues" icon={<QueueIcon />} />
        <AccessItem resource="licenses" to="/licenses" label="Licenses" icon={<LicenseIcon />} />
        <AccessItem resource="stocks" to="/stocks" label="Stocks" icon={<StockIcon />} />
        <AccessItem resource="stock-ledger" to="/stock-ledger" label="Stock ledger" icon={<LedgerIcon />} />
        <AccessItem resource="reports" to="/reports" label="Reports" icon={<ReportIcon />} />
        <Section title="Catalogue" />
        <AccessItem resource="companies" to="/companies" label="Companies" icon={<CompanyIcon />} />
        <AccessItem resource="users" to="/users" label="Users" icon={<UserIcon />} />
        <AccessItem resource="products" to="/products" label="Products" icon={<ProductIcon />} />
        <Section title="System" />
        <AccessItem resource="outbox" to="/outbox" label="E-mail outbox" icon={<MailIcon />} />
        <AccessItem resource="signing-keys" to="/signing-keys" label="Signing keys" icon={<KeyIcon />} />
      </RaMenu>
    );
  }
  return (
    <RaMenu>
      <RaMenu.Item to="/" primaryText="Home" leftIcon={<DashboardIcon />} />
      <AccessItem resource="requests" action="create" to="/requests/create" label="New request" icon={<AddIcon />} />
      <AccessItem resource="requests" to="/requests" label="My requests" icon={<QueueIcon />} />
      <AccessItem resource="licenses" to="/licenses" label="My licenses" icon={<LicenseIcon />} />
      <AccessItem resource="stocks" to="/stocks" label="My stock" icon={<StockIcon />} />
      <AccessItem resource="reports" to="/reports" label="Reports" icon={<ReportIcon />} />
      <Box sx={{ mt: 1 }} />
      <AccessItem resource="users" to="/users" label="Company users" icon={<UserIcon />} />
      <AccessItem resource="api-tokens" to="/api-tokens" label="API tokens" icon={<TokenIcon />} />
    </RaMenu>
  );
}
