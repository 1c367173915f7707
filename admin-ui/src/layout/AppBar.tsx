import { Alert, Box, Button, Chip, Typography, useMediaQuery, type Theme } from '@mui/material';
import {
  AppBar as RaAppBar,
  LoadingIndicator,
  LocalesMenuButton,
  useLocales,
  Logout,
  TitlePortal,
  UserMenu,
  useDataProvider,
  useGetIdentity,
  useNotify,
  useTranslate,
} from 'react-admin';
import { useLabel } from '../common/labels.ts';
import { errorMessage, type LicenseDeskDataProvider } from '../dataProvider.ts';
import { loadMe, type Me } from '../authProvider.ts';

/** Impersonation is visible on every page, with the way back. */
export function ImpersonationBanner() {
  const { identity } = useGetIdentity();
  const me = identity as (Me & { fullName: string }) | undefined;
  const dataProvider = useDataProvider<LicenseDeskDataProvider>();
  const notify = useNotify();
  const translate = useTranslate();
  if (!me?.impersonator) return null;
  return (
    <Alert
      severity="warning"
      sx={{ borderRadius: 0 }}
      action={
        <Button
          color="inherit"
          size="small"
          // React does not await an event handler; the chain ends in its own catch.
          onClick={() =>
            void dataProvider
              .stopImpersonating()
              .then(() => loadMe(true))
              .then(() => window.location.replace('#/'))
              .then(() => window.location.reload())
              .catch((e: unknown) => notify(errorMessage(e), { type: 'error' }))
          }
        >
          {translate('ld.impersonation.stop')}
        </Button>
      }
    >
      {translate('ld.impersonation.banner', { impersonator: me.impersonator.name, user: me.name, company: me.companyName })}
    </Alert>
  );
}

/**
 * On a phone the actions (language, refresh, user menu) stay on the screen: the language button
 * names the language by its code (EN, FI), and a long title such as "LD-000012 · Channel
 * expansion" takes two lines instead of being cut.
 */
const phoneTitle = {
  fontWeight: 600,
  fontSize: 15,
  lineHeight: 1.2,
  whiteSpace: 'normal',
  display: '-webkit-box',
  WebkitLineClamp: 2,
  WebkitBoxOrient: 'vertical',
  overflow: 'hidden',
} as const;

export function AppBar() {
  const { identity } = useGetIdentity();
  const me = identity as (Me & { fullName: string }) | undefined;
  const wide = useMediaQuery<Theme>((theme) => theme.breakpoints.up('md'));
  const locales = useLocales();
  const label = useLabel();
  return (
    <RaAppBar
      color="secondary"
      toolbar={
        <>
          {locales.length > 1 ? <LocalesMenuButton languages={wide ? locales : locales.map(({ locale }) => ({ locale, name: locale.toUpperCase() }))} /> : null}
          <LoadingIndicator />
        </>
      }
      userMenu={
        <UserMenu>
          <Logout />
        </UserMenu>
      }
    >
      {/* On a phone the page title needs the width; the brand is in the browser tab and the login page. */}
      {wide ? (
        <Typography component="span" sx={{ fontWeight: 700, letterSpacing: 0.3, mr: 2, whiteSpace: 'nowrap' }}>
          License Desk
        </Typography>
      ) : null}
      <TitlePortal variant={wide ? 'h6' : 'subtitle1'} sx={wide ? { fontWeight: 600 } : phoneTitle} />
      {wide && me ? (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mr: 1 }}>
          <Typography component="span" variant="body2" sx={{ color: '#e6edf5' }}>
            {me.companyName}
          </Typography>
          <Chip size="small" label={label('role', me.role)} sx={{ bgcolor: '#e6edf5', color: '#17324d' }} />
        </Box>
      ) : null}
    </RaAppBar>
  );
}
