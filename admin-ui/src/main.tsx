import { boot } from './boot.tsx';

// Pages load on first use from hashed chunks. After a new build, an open tab still asks for the
// old chunks, which are gone: load the current index.html instead of failing. Once a minute at
// most, so that a chunk that is really missing shows its error rather than reloading forever.
window.addEventListener('vite:preloadError', (event) => {
  const last = Number(sessionStorage.getItem('license-desk:reloaded-for-chunk') ?? 0);
  if (Date.now() - last < 60_000) return;
  sessionStorage.setItem('license-desk:reloaded-for-chunk', String(Date.now()));
  event.preventDefault();
  window.location.reload();
});

// The login form first, without the app; the app loads behind it (see boot.tsx).
boot(document.getElementById('root')!);
