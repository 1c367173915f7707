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
import WebhookIcon from '@mui/icons-material/Webhook';
import TokenIcon from '@mui/icons-material/TokenOutlined';
import { Menu as RaMenu, useCanAccess, usePermissions, useSidebarState, useTranslate } from 'react-admin';
import { isDeskRole, type Role } from '../access.ts';

/** A menu entry shown only when `authProvider.canAccess({ resource, action })` allows it. */
function AccessItem(props: { resource: string; action?: string; to: string; label: string; icon: ReactElement }) {
  const { canAccess } = useCanAccess({ resource: props.resource, action: props.action ?? 'list' });
  const translate = useTranslate();
  if (!canAccess) return null;
  return <RaMenu.Item to={props.to} primaryText={translate(props.label)} leftIcon={props.icon} />;
}

function Section({ title }: { title: string }) {
  const [open] = useSidebarState();
  const translate = useTranslate();
  return open ? (
    <ListSubheader
      component="div"
      sx={{ bgcolor: 'transparent', lineHeight: '32px', mt: 1, color: '#4a5565', fontSize: 12, textTransform: 'uppercase', letterSpacing: 0.6 }}
    >
      {translate(title)}
    </ListSubheader>
  ) : (
    <Divider sx={{ my: 1 }} />
  );
}

/** Desk staff get the back office; partners get the portal. Every entry asks canAccess. */
export function Menu() {
  const { permissions } = usePermissions<Role>();
  const translate = useTranslate();
  if (!permissions) return <RaMenu />;
  if (isDeskRole(permissions)) {
    return (
      <RaMenu>
        <RaMenu.Item to="/" primaryText={translate('ld.menu.dashboard')} leftIcon={<DashboardIcon />} />
        <Section title="ld.menu.desk" />
        <AccessItem resource="requests" to="/requests" label="ld.menu.queues" icon={<QueueIcon />} />
        <AccessItem resource="licenses" to="/licenses" label="ld.menu.licenses" icon={<LicenseIcon />} />
        <AccessItem resource="stocks" to="/stocks" label="ld.menu.stocks" icon={<StockIcon />} />
        <AccessItem resource="stock-ledger" to="/stock-ledger" label="ld.menu.stock_ledger" icon={<LedgerIcon />} />
        <AccessItem resource="reports" to="/reports" label="ld.menu.reports" icon={<ReportIcon />} />
        <Section title="ld.menu.catalogue" />
        <AccessItem resource="companies" to="/companies" label="ld.menu.companies" icon={<CompanyIcon />} />
        <AccessItem resource="users" to="/users" label="ld.menu.users" icon={<UserIcon />} />
        <AccessItem resource="products" to="/products" label="ld.menu.products" icon={<ProductIcon />} />
        <Section title="ld.menu.system" />
        <AccessItem resource="outbox" to="/outbox" label="ld.menu.outbox" icon={<MailIcon />} />
        <AccessItem resource="signing-keys" to="/signing-keys" label="ld.menu.signing_keys" icon={<KeyIcon />} />
        <AccessItem resource="webhook-endpoints" to="/webhook-endpoints" label="ld.menu.webhooks" icon={<WebhookIcon />} />
      </RaMenu>
    );
  }
  return (
    <RaMenu>
      <RaMenu.Item to="/" primaryText={translate('ld.menu.home')} leftIcon={<DashboardIcon />} />
      <AccessItem resource="requests" action="create" to="/requests/create" label="ld.menu.new_request" icon={<AddIcon />} />
      <AccessItem resource="requests" to="/requests" label="ld.menu.my_requests" icon={<QueueIcon />} />
      <AccessItem resource="licenses" to="/licenses" label="ld.menu.my_licenses" icon={<LicenseIcon />} />
      <AccessItem resource="stocks" to="/stocks" label="ld.menu.my_stock" icon={<StockIcon />} />
      <AccessItem resource="reports" to="/reports" label="ld.menu.reports" icon={<ReportIcon />} />
      <Box sx={{ mt: 1 }} />
      <AccessItem resource="users" to="/users" label="ld.menu.company_users" icon={<UserIcon />} />
      <AccessItem resource="api-tokens" to="/api-tokens" label="ld.menu.api_tokens" icon={<TokenIcon />} />
      <AccessItem resource="webhook-endpoints" to="/webhook-endpoints" label="ld.menu.webhooks" icon={<WebhookIcon />} />
    </RaMenu>
  );
}
