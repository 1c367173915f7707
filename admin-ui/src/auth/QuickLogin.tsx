import { useId, useState, type FormEvent } from 'react';
import { APP_WORDS, LOGIN_WORDS } from '../i18n/login.ts';
import { keepUserLocale, loginLocale } from './login-locale.ts';

/**
 * The login form of the first load: plain React and a few lines of CSS, so that it shows before
 * react-admin, MUI and the message catalogues have loaded (boot.tsx fetches them meanwhile). Same
 * fields, labels, words (i18n/login.ts) and request as LoginPage.tsx, which react-admin shows inside the app (after
 * a logout, or when a session ends); it looks like AuthCard. `onLoggedIn` starts the app.
 */
export function QuickLogin({ onLoggedIn }: { onLoggedIn: () => Promise<void> }) {
  const [locale] = useState(loginLocale);
  const words = LOGIN_WORDS[locale];
  const app = APP_WORDS[locale];
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  document.documentElement.lang = locale;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    let answer: Response;
    try {
      answer = await fetch('/api/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
    } catch {
      setError(words.unreachable);
      setBusy(false);
      return;
    }
    const body = (await answer.json().catch(() => undefined)) as { message?: string; errors?: { email?: string }; locale?: unknown } | undefined;
    if (!answer.ok) {
      // As authProvider.login: the field's message, else the answer's, else words of our own.
      setError(body?.errors?.email ?? body?.message ?? (answer.statusText || words.failed));
      setBusy(false);
      return;
    }
    keepUserLocale(body?.locale);
    // The button stays busy until the app replaces this form.
    await onLoggedIn().catch(() => {
      setError(words.unreachable);
      setBusy(false);
    });
  };

  return (
    <main className="ql-page">
      <style>{CSS}</style>
      <div className="ql-card">
        <div className="ql-bar">
          <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="24" height="24">
            <path
              fill="currentColor"
              d="M12.65 10C11.83 7.67 9.61 6 7 6c-3.31 0-6 2.69-6 6s2.69 6 6 6c2.61 0 4.83-1.67 5.65-4H17v4h4v-4h2v-4zM7 14c-1.1 0-2-.9-2-2s.9-2 2-2 2 .9 2 2-.9 2-2 2"
            />
          </svg>
          <div className="ql-brand">{app.name}</div>
        </div>
        <div className="ql-content">
          <h1>{words.title}</h1>
          <p className="ql-subtitle">{words.subtitle}</p>
          <form onSubmit={(event) => void submit(event)} noValidate>
            {error ? (
              <div className="ql-alert" role="alert">
                {error}
              </div>
            ) : null}
            <div className="ql-field">
              <input
                id={`${id}-email`}
                type="email"
                name="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                required
                autoFocus
                placeholder=" "
              />
              <label htmlFor={`${id}-email`}>
                {words.email}
                <span aria-hidden="true"> *</span>
              </label>
            </div>
            <div className="ql-field">
              <input
                id={`${id}-password`}
                type="password"
                name="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
                placeholder=" "
              />
              <label htmlFor={`${id}-password`}>
                {words.password}
                <span aria-hidden="true"> *</span>
              </label>
            </div>
            <button type="submit" className="ql-button" disabled={busy}>
              {busy ? <span className="ql-spinner" role="progressbar" aria-label={app.loading} /> : null}
              {words.submit}
            </button>
            <p className="ql-links">
              <a href="#/forgot-password">{words.forgot}</a>
            </p>
          </form>
        </div>
      </div>
    </main>
  );
}

/** AuthCard's look in the theme's values (theme.ts: navy bar, radius 8, primary #1d4f7c). */
const CSS = `
.ql-page { min-height: 100vh; display: flex; align-items: center; justify-content: center; background: #f4f6f9; padding: 0 16px; box-sizing: border-box; color: #1a2330; font-family: Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; line-height: 1.5; }
.ql-card { width: 100%; max-width: 420px; background: #fff; border-radius: 8px; overflow: hidden; box-shadow: 0 1px 3px rgba(16, 24, 40, 0.12); }
.ql-bar { background: #17324d; color: #fff; padding: 20px 24px; display: flex; align-items: center; gap: 12px; }
.ql-brand { font-size: 1.25rem; font-weight: 700; line-height: 1.6; }
.ql-content { padding: 24px; }
.ql-content h1 { font-size: 1.5rem; font-weight: 600; line-height: 1.334; margin: 0 0 0.35em; }
.ql-subtitle { color: #4a5565; margin: 0 0 24px; }
.ql-alert { background: #f9ebea; color: #5c1410; border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; font-size: 0.875rem; }
.ql-field { position: relative; margin: 16px 0 8px; }
.ql-field input { display: block; width: 100%; box-sizing: border-box; height: 56px; padding: 25px 12px 8px; border: 0; border-bottom: 1px solid rgba(0, 0, 0, 0.42); border-radius: 8px 8px 0 0; font: inherit; font-size: 1rem; color: inherit; background: rgba(0, 0, 0, 0.06); outline: none; }
.ql-field input:hover { background: rgba(0, 0, 0, 0.09); border-bottom-color: #1a2330; }
.ql-field input:focus { background: rgba(0, 0, 0, 0.06); border-bottom: 2px solid #1d4f7c; padding-bottom: 7px; }
.ql-field label { position: absolute; left: 12px; top: 16px; color: #4a5565; pointer-events: none; transition: top 150ms, font-size 150ms; max-width: calc(100% - 24px); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.ql-field input:focus + label, .ql-field input:not(:placeholder-shown) + label, .ql-field input:-webkit-autofill + label { top: 7px; font-size: 0.75rem; }
.ql-field input:focus + label { color: #1d4f7c; }
.ql-button { display: flex; align-items: center; justify-content: center; gap: 8px; width: 100%; margin-top: 16px; padding: 8px 22px; min-height: 42px; border: 0; border-radius: 8px; background: #1d4f7c; color: #fff; font: inherit; font-size: 0.9375rem; font-weight: 500; letter-spacing: 0.02857em; text-transform: uppercase; cursor: pointer; }
.ql-button:hover { background: #17324d; }
.ql-button:focus-visible { outline: 3px solid rgba(29, 79, 124, 0.4); outline-offset: 2px; }
.ql-button:disabled { background: rgba(0, 0, 0, 0.12); color: rgba(0, 0, 0, 0.38); cursor: default; }
.ql-spinner { width: 18px; height: 18px; box-sizing: border-box; border: 3px solid currentColor; border-right-color: transparent; border-radius: 50%; animation: ql-spin 0.8s linear infinite; }
@keyframes ql-spin { to { transform: rotate(360deg); } }
.ql-links { margin: 16px 0 0; text-align: center; }
.ql-links a { color: #1d4f7c; text-decoration: underline; text-decoration-color: rgba(29, 79, 124, 0.4); }
.ql-links a:hover { text-decoration-color: inherit; }
`;
