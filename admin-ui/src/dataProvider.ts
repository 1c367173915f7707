import { fetchUtils, HttpError, type DataProvider, type Identifier } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import { formFieldOf } from './requests/create/field-of-path.ts';

export const API_URL = '/api';

/** Same-origin requests carry the session cookie; the browser adds the Origin header CSRF checks. */
export const httpClient = (url: string, options: fetchUtils.Options = {}) =>
  fetchUtils.fetchJson(url, { credentials: 'same-origin', ...options }).catch((error: unknown) => {
    // A network failure has no status; say it in words rather than "Failed to fetch".
    if (error instanceof TypeError) throw new HttpError('The server cannot be reached. Check your connection and try again.', 0);
    throw error;
  });

const base = simpleRestProvider(API_URL, httpClient);

/** Each list's default order; react-admin's own default (`id`) is not a sortable field here. */
const DEFAULT_SORT: Record<string, { field: string; order: 'ASC' | 'DESC' }> = {
  requests: { field: 'createdAt', order: 'DESC' },
  licenses: { field: 'createdAt', order: 'DESC' },
  stocks: { field: 'companyName', order: 'ASC' },
  'stock-ledger': { field: 'createdAt', order: 'DESC' },
  products: { field: 'code', order: 'ASC' },
  companies: { field: 'name', order: 'ASC' },
  users: { field: 'name', order: 'ASC' },
  outbox: { field: 'createdAt', order: 'DESC' },
  'signing-keys': { field: 'createdAt', order: 'DESC' },
  'api-tokens': { field: 'createdAt', order: 'DESC' },
  'webhook-endpoints': { field: 'createdAt', order: 'DESC' },
  'webhook-deliveries': { field: 'createdAt', order: 'DESC' },
  'reports/licenses': { field: 'utcDate', order: 'DESC' },
};

const post = async <T = unknown>(path: string, body?: unknown) => {
  const { json } = await httpClient(`${API_URL}${path}`, {
    method: 'POST',
    body: body instanceof FormData ? body : JSON.stringify(body ?? {}),
  });
  return json as T;
};

const fileForm = (file: File | undefined, fields: Record<string, string | undefined> = {}) => {
  const form = new FormData();
  if (file) form.append('file', file);
  for (const [key, value] of Object.entries(fields)) if (value) form.append(key, value);
  return form;
};

/**
 * ra-data-simple-rest, plus the workflow actions. Those are plain methods called with
 * `useMutation`: a signal cannot be taken back, so none of them is ever "undoable".
 */
export const dataProvider = {
  ...base,
  // The API filters are strict; fetch referenced records one by one instead of `filter={id:[…]}`.
  getMany: async (resource: string, params: { ids: Identifier[] }) => {
    const records = await Promise.all(
      params.ids.map((id) =>
        base
          .getOne(resource, { id })
          .then((r) => r.data)
          .catch(() => undefined),
      ),
    );
    return { data: records.filter((r) => r !== undefined) };
  },

  getList: (resource: string, params: Parameters<DataProvider['getList']>[1]) =>
    base.getList(resource, { ...params, sort: !params.sort || params.sort.field === 'id' ? (DEFAULT_SORT[resource] ?? params.sort) : params.sort }),

  // A request's server errors point at payload paths; show them on the form's own fields.
  create: async (resource: string, params: { data: Record<string, unknown>; meta?: unknown }) => {
    try {
      return await base.create(resource, params);
    } catch (error) {
      const errors = error instanceof HttpError ? (error.body?.errors as Record<string, string> | undefined) : undefined;
      if (resource !== 'requests' || !errors || !(error instanceof HttpError)) throw error;
      const mapped: Record<string, string> = {};
      for (const [path, message] of Object.entries(errors)) mapped[formFieldOf(path)] ??= message;
      throw new HttpError(error.message, error.status, { ...error.body, errors: mapped });
    }
  },

  approveRequest: (id: Identifier, data: { comment?: string }) => post(`/requests/${id}/approve`, data),
  rejectRequest: (id: Identifier, data: { reason: string }) => post(`/requests/${id}/reject`, data),
  requestInformation: (id: Identifier, data: { question: string }) => post(`/requests/${id}/request-information`, data),
  replyToRequest: (id: Identifier, data: { message: string }) => post(`/requests/${id}/reply`, data),
  cancelRequest: (id: Identifier, data: { reason?: string }) => post(`/requests/${id}/cancel`, data),
  cancelRenewal: (id: Identifier, data: { reason?: string }) => post(`/requests/${id}/cancel-renewal`, data),
  finalizeRenewal: (id: Identifier, data: { reason: string }) => post(`/requests/${id}/finalize-renewal`, data),
  consentToRequest: (id: Identifier, data: { consent: boolean; comment?: string }) => post(`/requests/${id}/consent`, data),
  assignRequest: (id: Identifier, data: { assigneeId: string | null }) => post(`/requests/${id}/assign`, data),
  markRmaReceived: (id: Identifier, data: { note?: string }) => post(`/requests/${id}/rma-received`, data),
  confirmReturn: (id: Identifier, data: { file?: File }) => post(`/requests/${id}/confirm-return`, fileForm(data.file)),
  uploadExternalFile: (id: Identifier, data: { file: File }) => post(`/requests/${id}/external-file`, fileForm(data.file)),
  adjustStock: (data: { companyId: string; productId: string; channels: number; reason: string }) => post('/stocks/adjust', data),
  resendEmail: (id: Identifier) => post(`/outbox/${id}/resend`),
  rotateSigningKey: () => post('/signing-keys/rotate'),
  rotateWebhookSecret: (id: Identifier) => post<{ id: string; secret: string }>(`/webhook-endpoints/${id}/rotate-secret`),
  redeliverWebhook: (id: Identifier) => post(`/webhook-deliveries/${id}/redeliver`),
  impersonate: (userId: Identifier) => post('/auth/impersonate', { userId }),
  stopImpersonating: () => post('/auth/impersonate/stop'),
  /** How many requests each status holds under the queue's other filters (its status tabs' counts). */
  requestCounts: async (filter: Record<string, unknown>) =>
    (await httpClient(`${API_URL}/requests/counts?filter=${encodeURIComponent(JSON.stringify(filter))}`)).json as RequestCounts,
  queueReport: async () => (await httpClient(`${API_URL}/reports/queue`)).json as QueueReport,
} satisfies DataProvider;

export type LicenseDeskDataProvider = typeof dataProvider;

export interface RequestCounts {
  total: number;
  open: number;
  byStatus: Record<string, number>;
}

export interface QueueReport {
  asOf: string;
  open: Array<{ type: string; total: number; under1Day: number; days1To3: number; days3To7: number; over7Days: number }>;
  timeToDecision: Array<{ type: string; decided: number; averageHours: number | null; medianHours: number | null }>;
  slaBreaches: {
    total: number;
    byType: Array<{ type: string; count: number }>;
    mostOverdue: Array<{
      id: string;
      number: number;
      type: string;
      status: string;
      companyName: string;
      submittedAt: string;
      dueAt: string;
      overdueHours: number;
    }>;
  };
}

/** A message for people from any error a call can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof HttpError) {
    if (error.status === 403) return error.message || 'Your role does not allow this.';
    return error.message || `The server answered ${error.status}.`;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Please try again.';
}
