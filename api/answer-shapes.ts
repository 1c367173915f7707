import { z } from 'zod';
import { LOCALES } from '../domain/locale.ts';
import { RequestStatus, RequestType } from '../prisma/generated/enums.ts';
import { ROLES } from './auth/middleware.ts';

/**
 * The shapes of the API's answers, as /api/openapi.json publishes them. Objects are open
 * (`looseObject`): a client may rely on the fields named here, and a field added later breaks
 * no one. The conformance run (npm run test:contract) checks every answer against them.
 */
const when = z.iso.datetime({ offset: true });
const uuid = z.uuid();
const maybe = <T extends z.ZodType>(schema: T) => schema.nullable();
const role = z.enum(ROLES);

export const user = z.looseObject({
  id: uuid,
  email: z.string(),
  name: z.string(),
  role,
  companyId: uuid,
  active: z.boolean(),
  lastLoginAt: maybe(when),
  createdAt: when,
  updatedAt: when,
  companyName: z.string(),
});

/** The caller, as login, impersonation and /me answer it. */
export const caller = z.looseObject({
  id: uuid,
  email: z.string(),
  name: z.string(),
  role,
  companyId: uuid,
  locale: z.enum(LOCALES).nullable().optional().describe("The language the user chose; null until they choose (the UI then follows the browser's)"),
  impersonator: z.object({ id: uuid, name: z.string() }).optional(),
});

export const message = z.looseObject({ message: z.string() });

export const company = z.looseObject({
  id: uuid,
  name: z.string(),
  kind: z.enum(['VENDOR', 'DISTRIBUTOR', 'DEALER', 'INTEGRATOR']),
  parentId: maybe(uuid),
  seesDealers: z.boolean(),
  reshipNeedsApproval: z.boolean().describe("Whether the desk approves the distributor's stock reships to its dealers; false: they are approved at once"),
  contactEmail: maybe(z.string()).optional().describe('Left out when a distributor lists its own dealers (`filter={"parentId": …}`) without seeing their data'),
  timeZone: z.string(),
  createdAt: when,
  updatedAt: when,
});
export const companyDetail = company.extend({
  parentName: maybe(z.string()),
  counts: z.looseObject({ users: z.int(), licenses: z.int(), requests: z.int(), stockEntries: z.int(), dealers: z.int() }),
  deleteRefusal: maybe(z.string()).describe('Why the company cannot be deleted, in the words DELETE answers; null when it can'),
});

export const product = z.looseObject({
  id: uuid,
  code: z.string(),
  name: z.string(),
  family: z.string(),
  version: z.string(),
  tier: maybe(z.enum(['BASE', 'PRO', 'ENTERPRISE', 'ENTERPRISE_PLUS'])),
  isDemo: z.boolean(),
  demoDays: maybe(z.int()),
  minChannels: z.int(),
  maxChannels: z.int(),
  servers: maybe(z.int()),
  users: maybe(z.int()),
  features: z.array(z.string()),
  smaMonths: maybe(z.int()),
  lockType: z.enum(['MAC', 'HARDWARE_KEY']),
  hardwareKeyType: maybe(z.string()),
  external: z.boolean(),
  active: z.boolean(),
  createdAt: when,
  updatedAt: when,
});

const historyEvent = z.looseObject({
  id: z.string(),
  occurredAt: when,
  action: z.string(),
  actorName: z.string(),
  realActorName: maybe(z.string()),
  changes: maybe(z.string()),
  comment: maybe(z.string()),
  actor: z.string(),
});

export const license = z.looseObject({
  id: uuid,
  serial: z.string(),
  companyId: uuid,
  productId: uuid,
  channels: z.int(),
  vcaChannels: z.int(),
  lockType: z.enum(['MAC', 'HARDWARE_KEY']),
  macAddress: maybe(z.string()),
  hardwareKey: maybe(z.string()),
  endUserCompany: z.string(),
  status: z.enum(['CREATED', 'ACTIVE', 'WAITING_CONFIRM', 'REVOKED', 'EXPIRED']),
  currentRevision: z.int(),
  smaEnd: maybe(when),
  expiresAt: maybe(when),
  createdAt: when,
  updatedAt: when,
});
export const licenseRow = license.extend({ productName: z.string(), companyName: z.string() });
export const licenseDetail = license.extend({
  product: product,
  company: company,
  revisions: z.array(
    z.looseObject({
      id: uuid,
      revision: z.int(),
      channels: z.int(),
      vcaChannels: z.int(),
      fileName: z.string(),
      signingKeyId: maybe(z.string()),
      external: z.boolean(),
      createdAt: when,
    }),
  ),
  history: z.array(historyEvent),
});

export const request = z.looseObject({
  id: uuid,
  number: z.int(),
  type: z.enum(RequestType),
  status: z.string(),
  companyId: uuid,
  requesterId: uuid,
  assigneeId: maybe(uuid),
  payload: z.looseObject({}),
  deliveryEmails: z.array(z.string()),
  workflowId: z.string(),
  licenseId: maybe(uuid),
  serial: maybe(z.string()),
  submittedAt: when,
  decidedAt: maybe(when),
  completedAt: maybe(when),
  dueAt: maybe(when),
  createdAt: when,
  updatedAt: when,
});
export const requestRow = request.extend({
  companyName: z.string(),
  assigneeName: maybe(z.string()),
  endUserCompany: maybe(z.string()).describe("The form's end user, else the license's"),
  productName: maybe(z.string()).describe('The product; for an upgrade "from → to"'),
  channels: maybe(z.int()).describe("The channels the form asks for, else the license's"),
  license: maybe(
    z
      .looseObject({ id: uuid, serial: z.string(), productName: z.string(), channels: z.int(), status: z.string() })
      .describe('The license the request is about, as it is now'),
  ),
});
export const requestCounts = z.looseObject({
  total: z.int(),
  open: z.int().describe('Not completed, rejected, cancelled, expired or failed'),
  byStatus: z.record(z.string(), z.int()),
});
export const requestDetail = request.extend({
  companyName: z.string(),
  requesterName: z.string(),
  assigneeName: maybe(z.string()),
  timeline: z.array(historyEvent),
  licenses: z
    .array(z.looseObject({ id: uuid, serial: z.string(), companyId: uuid, companyName: z.string() }))
    .describe('The licenses the request wrote a revision of: a partial transfer lists its source and the new license'),
  attachments: z.array(
    z.looseObject({
      id: uuid,
      kind: z.string(),
      fileName: z.string(),
      size: z.int(),
      sha256: z.string(),
      createdAt: when,
      uploadedByName: z.string(),
      impersonatorName: maybe(z.string()),
    }),
  ),
  comments: z.array(
    z.looseObject({ id: uuid, body: z.string(), partnerVisible: z.boolean(), createdAt: when, authorName: z.string(), impersonatorName: maybe(z.string()) }),
  ),
});
/**
 * What every action on a request answers (approve, reject, request-information, reply, cancel,
 * confirm-return, consent, rma-received, external-file): the request, where it stands, and the
 * sentence the caller reads.
 */
export const actionAnswer = z.looseObject({
  id: uuid,
  reference: z.string().describe('The request as people name it, e.g. LD-000042'),
  status: z.enum(RequestStatus).describe("The request's status as the database has it now; the workflow moves it on moments later, so poll the request"),
  phase: z.string().describe("The workflow's phase when it took the action, e.g. awaiting_decision or waiting_for_partner"),
  message: z.string().describe('What happened, in a sentence for a person, e.g. "LD-000042 is rejected; the partner is told why."'),
});
export const comment = z.looseObject({
  id: uuid,
  body: z.string(),
  partnerVisible: z.boolean(),
  createdAt: when,
  authorName: z.string(),
  impersonatorName: maybe(z.string()),
});
export const assignment = z.looseObject({ id: uuid, assigneeId: maybe(uuid), assigneeName: maybe(z.string()) });
export const attachment = z.looseObject({ id: uuid, fileName: z.string(), size: z.int(), sha256: z.string() });

export const stock = z.looseObject({
  id: z.string(),
  companyId: uuid,
  productId: uuid,
  companyName: z.string(),
  productName: z.string(),
  available: z.number(),
  reserved: z.number(),
  consumed: z.number(),
  total: z.number(),
});
export const ledgerEntry = z.looseObject({
  id: z.string(),
  companyId: uuid,
  productId: uuid,
  kind: z.enum(['CREDIT', 'RESERVE', 'CONSUME', 'RELEASE', 'RETURN', 'DEBIT', 'TRANSFER_OUT', 'TRANSFER_IN']),
  channels: z.int(),
  requestId: maybe(uuid),
  note: maybe(z.string()),
  createdAt: when,
});
export const ledgerRow = ledgerEntry.extend({ createdByName: maybe(z.string()), productName: z.string(), requestNumber: maybe(z.int()) });
export const adjustedStock = stock.extend({ entry: maybe(ledgerEntry) });

export const outboxMail = z.looseObject({
  id: uuid,
  idempotencyKey: z.string(),
  requestId: maybe(uuid),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  status: z.enum(['PENDING', 'SENT', 'FAILED']),
  attempts: z.int(),
  lastError: maybe(z.string()),
  messageId: maybe(z.string()),
  sentAt: maybe(when),
  createdAt: when,
  updatedAt: when,
});
export const outboxMailDetail = outboxMail.extend({
  text: z.string(),
  html: maybe(z.string()),
  attachments: z.array(z.looseObject({ fileName: z.string(), contentType: z.string() })),
});

export const publicKey = z.looseObject({
  kid: z.string(),
  algorithm: z.string(),
  publicKeyPem: z.string(),
  status: z.string(),
  createdAt: when,
  retiredAt: maybe(when),
});
export const signingKey = z.looseObject({
  id: z.string(),
  algorithm: z.string(),
  publicKeyPem: z.string(),
  status: z.string(),
  createdAt: when,
  retiredAt: maybe(when),
  signedRevisions: z.int(),
});

export const apiToken = z.looseObject({
  id: uuid,
  name: z.string(),
  prefix: z.string(),
  createdAt: when,
  lastUsedAt: maybe(when),
  expiresAt: maybe(when),
  revokedAt: maybe(when),
  createdByName: z.string(),
});
export const newApiToken = apiToken.extend({ token: z.string().describe('The secret, shown this once') });

export const verification = z.looseObject({ valid: z.boolean() });

const check = z.looseObject({ status: z.enum(['up', 'down']) });
export const health = z.looseObject({ status: z.enum(['ok', 'degraded', 'unavailable']), version: z.string(), checks: z.record(z.string(), check) });

export const reportRow = z.looseObject({ utcDate: when, action: z.string() });
export const queueReport = z.looseObject({});
