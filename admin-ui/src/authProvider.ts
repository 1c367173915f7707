import { HttpError, type AuthProvider } from 'react-admin';
import { roleCan, type Role } from './access.ts';
import { API_URL, httpClient } from './dataProvider.ts';
import { followUserLocale, forgetUserLocale, storeLocaleChoices } from './i18n/index.ts';

export interface Me {
  id: string;
  email: string;
  name: string;
  role: Role;
  companyId: string;
  companyName?: string;
  /** The language the user chose; null until they choose (the UI then follows the browser). */
  locale?: string | null;
  impersonator?: { id: string; name: string } | null;
  temporalUiUrl?: string;
  temporalNamespace?: string;
}

let me: Me | undefined;
let pending: Promise<Me> | undefined;

/** The logged-in user, from the session cookie (GET /api/auth/me), fetched once and cached. */
export function loadMe(force = false): Promise<Me> {
  if (me && !force) return Promise.resolve(me);
  pending ??= httpClient(`${API_URL}/auth/me`)
    .then(({ json }) => {
      me = json as Me;
      followUserLocale(me.locale);
      return me;
    })
    .finally(() => {
      pending = undefined;
    });
  return pending;
}

export const currentUser = () => me;
export const forgetMe = () => {
  me = undefined;
  forgetUserLocale();
};

storeLocaleChoices((locale) => httpClient(`${API_URL}/auth/me/locale`, { method: 'PUT', body: JSON.stringify({ locale }) }));

/** Pages anyone may open without a session. */
const PUBLIC_HASHES = ['#/forgot-password', '#/set-password'];

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    forgetMe();
    try {
      await httpClient(`${API_URL}/auth/login`, { method: 'POST', body: JSON.stringify({ email: username, password }) });
    } catch (error) {
      if (error instanceof HttpError) throw new Error(error.body?.errors?.email ?? error.message, { cause: error });
      throw error;
    }
    await loadMe(true);
  },
  async logout() {
    const wasLoggedIn = me !== undefined;
    forgetMe();
    if (PUBLIC_HASHES.some((h) => window.location.hash.startsWith(h))) return false;
    if (wasLoggedIn) await httpClient(`${API_URL}/auth/logout`, { method: 'POST' }).catch(() => undefined);
  },
  async checkAuth() {
    try {
      await loadMe();
    } catch {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- react-admin reads message and redirectTo from the rejection
      throw { message: false, redirectTo: '/login' };
    }
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      forgetMe();
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- react-admin reads message from the rejection
      throw { message: 'Your session has ended. Please log in again.' };
    }
    // 403 means "not allowed", not "logged out": stay logged in and show the message.
  },
  async getIdentity() {
    const user = await loadMe();
    return { ...user, fullName: user.name };
  },
  async getPermissions() {
    return (await loadMe().catch(() => undefined))?.role;
  },
  async canAccess({ resource, action }: { resource: string; action: string }) {
    const user = await loadMe().catch(() => undefined);
    return roleCan(user?.role, resource, action);
  },
};
