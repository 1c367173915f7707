import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QuickLogin } from './auth/QuickLogin.tsx';

/** The app: react-admin, MUI, the pages' shell and the English messages; its own chunks. */
const loadApp = () => import('./App.tsx');

/** Pages anyone may open without a session; they are the app's own (as authProvider's PUBLIC_HASHES). */
const PUBLIC_HASHES = ['#/forgot-password', '#/set-password'];
const isLogin = (hash: string) => /^#\/login(?:[/?]|$)/.test(hash);

/**
 * Starts the UI without making the login form wait for the app. `#/login` shows QuickLogin at once,
 * and the app downloads behind it; after the login the app starts where the person was going. Any
 * other page loads the app and asks /api/auth/me side by side: without a session (401) the quick
 * form comes first, at `#/login`; with one, the app. The public pages (forgot and set password) are
 * the app's. Once started, the app handles its own login route (logouts, ended sessions, deep links).
 */
export function boot(element: HTMLElement) {
  const root = createRoot(element);
  let started = false;

  const startApp = async () => {
    if (started) return;
    started = true;
    window.removeEventListener('hashchange', onHashChange);
    const { App } = await loadApp();
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  };
  // A link from the form (forgot password) or the back button: the app's page.
  const onHashChange = () => void startApp();

  const showLogin = (next: string) => {
    if (started) return;
    if (!isLogin(window.location.hash)) history.replaceState(history.state, '', '#/login');
    window.addEventListener('hashchange', onHashChange);
    const onLoggedIn = async () => {
      history.replaceState(history.state, '', next);
      await startApp();
    };
    root.render(
      <StrictMode>
        <QuickLogin onLoggedIn={onLoggedIn} />
      </StrictMode>,
    );
    // The app's chunks, after the form is on screen, so that the step after the login is short.
    const lang = document.documentElement.lang;
    requestAnimationFrame(() =>
      setTimeout(() => {
        // Loading i18n/index.ts sets <html lang> to English until the app starts; the form keeps its own.
        loadApp().then(
          () => !started && (document.documentElement.lang = lang),
          () => undefined,
        );
      }, 0),
    );
  };

  const hash = window.location.hash;
  if (isLogin(hash)) return showLogin('#/');
  if (PUBLIC_HASHES.some((h) => hash.startsWith(h))) return void startApp();

  const app = loadApp();
  app.catch(() => undefined);
  fetch('/api/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then((answer) => (answer.status === 401 ? showLogin(hash || '#/') : startApp()))
    .catch(() => startApp());
}
