import { useSyncExternalStore } from 'react';
import { Route } from 'react-router-dom';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import apiTokens from './api-tokens/index.ts';
import webhookEndpoints from './webhooks/index.ts';
import { AccessDenied } from './layout/AccessDenied.tsx';
import { ForgotPasswordPage } from './auth/ForgotPasswordPage.tsx';
import { LoginPage } from './auth/LoginPage.tsx';
import { SetPasswordPage } from './auth/SetPasswordPage.tsx';
import { authProvider } from './authProvider.ts';
import companies from './companies/index.ts';
import { dataProvider } from './dataProvider.ts';
import { i18nProvider, store } from './i18n/index.ts';
import { Layout } from './layout/Layout.tsx';
import licenses from './licenses/index.ts';
import outbox from './outbox/index.ts';
import products from './products/index.ts';
import requests from './requests/index.ts';
import signingKeys from './signing-keys/index.ts';
import stockLedger from './stock-ledger/index.ts';
import stocks from './stocks/index.ts';
import { lazyPage } from './common/lazyPage.ts';
import { themeFor } from './theme.ts';
import users from './users/index.ts';

// Pages behind the login load on first use; the login page needs only the shell (see lazyPage).
const Dashboard = lazyPage(() => import('./dashboard/Dashboard.tsx'), 'Dashboard');
const ReportsPage = lazyPage(() => import('./reports/ReportsPage.tsx'), 'ReportsPage');

/** The chosen language (react-admin's store key `locale`, which its i18n follows too). */
const subscribeToLocale = (onChange: () => void) => store.subscribe('locale', onChange);
const chosenLocale = () => store.getItem<string>('locale');

/** One app for desk and partners; what each sees follows `authProvider.canAccess`. */
export function App() {
  const locale = useSyncExternalStore(subscribeToLocale, chosenLocale);
  return (
    <Admin
      title="License Desk"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      store={store}
      loginPage={LoginPage}
      dashboard={Dashboard}
      layout={Layout}
      theme={themeFor(locale)}
      accessDenied={AccessDenied}
      requireAuth
      disableTelemetry
    >
      <Resource name="requests" {...requests} />
      <Resource name="licenses" {...licenses} />
      <Resource name="stocks" {...stocks} />
      <Resource name="stock-ledger" {...stockLedger} />
      <Resource name="companies" {...companies} />
      <Resource name="users" {...users} />
      <Resource name="products" {...products} />
      <Resource name="outbox" {...outbox} />
      <Resource name="signing-keys" {...signingKeys} />
      <Resource name="api-tokens" {...apiTokens} />
      <Resource name="webhook-endpoints" {...webhookEndpoints} />
      <Resource name="webhook-deliveries" />
      <CustomRoutes>
        <Route path="/reports" element={<ReportsPage />} />
      </CustomRoutes>
      <CustomRoutes noLayout>
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/set-password" element={<SetPasswordPage />} />
      </CustomRoutes>
    </Admin>
  );
}
