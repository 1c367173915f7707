import type { ReactNode } from 'react';
import { Layout as RaLayout } from 'react-admin';
import { AppBar, ImpersonationBanner } from './AppBar.tsx';
import { Menu } from './Menu.tsx';

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout appBar={AppBar} menu={Menu} sx={{ '& .RaLayout-content': { pt: 2, px: { xs: 1, sm: 2 } } }}>
      <ImpersonationBanner />
      {children}
    </RaLayout>
  );
}
