import type { ReactNode } from 'react';
import { Layout as RaLayout } from 'react-admin';
import { AppBar, ImpersonationBanner } from './AppBar.tsx';
import { Menu } from './Menu.tsx';

/**
 * react-admin's layout is at least as wide as its content (`min-width: fit-content`), so one wide
 * table or row of tabs made the whole page, app bar included, wider than a phone. Here the page
 * is the screen's width: flex items may shrink below their content (min-width 0), a list's card
 * scrolls its own table sideways, and lists switch to two-line rows on phones.
 */
const fitTheScreen = {
  minWidth: 0,
  '& .RaLayout-appFrame, & .RaLayout-contentWithSidebar, & .RaLayout-content': { minWidth: 0 },
  '& .RaLayout-content': { pt: 2, px: { xs: 1, sm: 2 } },
  '& .RaList-main, & .RaShow-main, & .RaEdit-main, & .RaCreate-main': { minWidth: 0 },
  '& .RaList-content': { overflowX: 'auto' },
  // react-admin 5's DataTable has no RaList-content around it: its own wrapper scrolls (the queue's ten
  // columns in Finnish are wider than a 1280 px screen's content).
  '& .RaDataTable-tableWrapper': { overflowX: 'auto' },
};

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout appBar={AppBar} menu={Menu} sx={fitTheScreen}>
      <ImpersonationBanner />
      {children}
    </RaLayout>
  );
}
