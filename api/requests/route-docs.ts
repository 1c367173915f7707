import { z } from 'zod';
import * as shapes from '../answer-shapes.ts';
import { documented, download, listOf } from '../route-docs.ts';
import { SUBMISSION_ANSWERS } from './submission-checks.ts';

/**
 * The OpenAPI descriptions of the request routes (api/routes/requests.ts), one per route. They
 * live here so that the routes file stays about what the routes do.
 */
const closed = 'The request cannot take this action now (the workflow says why), or it has closed';
const multipartFile = (required: boolean) => ({
  required,
  content: {
    'multipart/form-data': {
      schema: { type: 'object' as const, properties: { file: { type: 'string' as const, format: 'binary' } }, ...(required ? { required: ['file'] } : {}) },
    },
  },
});

export const requestDocs = {
  submit: documented({
    summary: 'Submit a request of one of the ten types',
    who: 'partner',
    answers: {
      201: {
        description: SUBMISSION_ANSWERS[201],
        json: shapes.request.extend({
          warnings: z.array(z.string()).describe('What the partner should know now, e.g. that the stock does not cover the request; empty when nothing'),
        }),
      },
      422: SUBMISSION_ANSWERS[422],
    },
  }),
  list: documented({
    summary: 'Requests (the queues)',
    description:
      "`q` matches a serial, a MAC, a company name, an end user or a number such as `LD-000042`; `status` takes one status or a list. Each row names its end user, product, channels and assignee, and the license it is about. Partners see their companies' requests, and ownership changes of licenses they own now",
    who: 'logged in',
    answers: { 200: listOf(shapes.requestRow, 'The requests') },
  }),
  counts: documented({
    summary: 'How many requests each status tab holds',
    description: "Takes the list's `filter`; its `status` and `open` are what is counted, so the tabs' counts follow the search and the other filters",
    who: 'logged in',
    answers: { 200: { description: 'The counts', json: shapes.requestCounts } },
  }),
  show: documented({
    summary: 'A request with its timeline, attachments and comments',
    description: 'Partners do not see internal notes or desk-only events',
    who: 'logged in',
    answers: { 200: { description: 'The request', json: shapes.requestDetail } },
  }),
  approve: documented({
    summary: 'Approve',
    description:
      '`{ comment? }`. Answers once the workflow has accepted the decision; fulfilment goes on in the workflow, so poll the request until `COMPLETED`',
    who: 'desk',
    answers: { 200: { description: 'The decision is taken', json: shapes.actionAnswer }, 409: closed },
  }),
  reject: documented({
    summary: 'Reject with a reason',
    description: '`{ reason }`; also while the request waits for the partner',
    who: 'desk',
    answers: { 200: { description: 'The decision is taken', json: shapes.actionAnswer }, 409: closed },
  }),
  requestInformation: documented({
    summary: 'Ask the partner a question',
    description: '`{ question }`; the request becomes `WAITING_FOR_PARTNER`',
    who: 'desk',
    answers: { 200: { description: 'The question is sent', json: shapes.actionAnswer }, 409: closed },
  }),
  reply: documented({
    summary: "Answer the desk's question",
    description: '`{ message }`. The answer reaches the timeline moments later; one that arrives after the workflow took the first is `409`',
    who: 'partner',
    answers: {
      202: { description: 'The workflow holds the answer', json: shapes.actionAnswer },
      409: 'The desk has not asked anything, or the request has closed',
    },
  }),
  cancel: documented({
    summary: 'Cancel before fulfilment; reservations are released',
    description: '`{ reason? }`, by anyone who sees the request',
    who: 'logged in',
    answers: { 200: { description: 'The request is cancelled', json: shapes.actionAnswer }, 409: closed },
  }),
  cancelRenewal: documented({
    summary: 'Cancel an issued SMA renewal in its cooling-off period',
    description:
      '`{ reason? }`, SMA renewals only, by anyone who sees the request, while it is `COOLING_OFF` (until `coolingOffEndsAt`, ' +
      'SMA_RENEWAL_COOLING_OFF_HOURS after the renewal was issued). Each license gets a new revision with its previous SMA end, and the files are e-mailed. ' +
      'A license that has since moved to another company or is no longer active is left as it is, named on the timeline (`renewal_not_reverted`) and escalated to the desk',
    who: 'logged in',
    answers: { 200: { description: 'The renewal is cancelled', json: shapes.actionAnswer }, 409: closed },
  }),
  finalizeRenewal: documented({
    summary: 'Make an issued SMA renewal final before its cooling-off period ends',
    description:
      '`{ reason }` (required, as NEC asks), SMA renewals only, while it is `COOLING_OFF`. The request completes at once and can no longer be cancelled',
    who: 'logged in',
    answers: { 200: { description: 'The renewal is final', json: shapes.actionAnswer }, 409: closed },
  }),
  confirmReturn: documented({
    summary: 'Confirm a return, optionally with the reduced request file',
    description:
      'Return confirmations only: multipart with an optional `file`, or no body. The file is the request file of the reduced installation (docs/request-file.md): ' +
      "at most 16 KB, of the license's hardware and product, showing the channels the license has after the return, and not used before",
    who: 'partner',
    requestBody: multipartFile(false),
    answers: {
      200: { description: 'The return is confirmed', json: shapes.actionAnswer },
      409: 'Not a return confirmation, or it cannot be confirmed now (the workflow says why, also for a file whose channels are not the reduced ones)',
      422: 'The file is not a License Desk request file, is over 16 KB, is of other hardware or another product, shows other channels than the license has after the return, or was used already',
      413: 'A file is at most 5 MB',
    },
  }),
  consent: documented({
    summary: 'Consent to or refuse an ownership change or a partial transfer',
    description: '`{ consent: true|false, comment? }`; an admin of another company that can see the request gets `403`',
    who: "partner admin of the license's current owner",
    answers: {
      200: { description: 'The answer is taken', json: shapes.actionAnswer },
      409: 'Not an ownership change or a partial transfer, or it does not wait for consent',
    },
  }),
  assign: documented({
    summary: 'Assign to a desk user',
    description: '`{ assigneeId }`: an active desk user, or `null` to unassign; recorded as an internal event',
    who: 'desk',
    answers: { 200: { description: 'The assignment', json: shapes.assignment } },
  }),
  externalFile: documented({
    summary: 'Upload the license file of an external product',
    description: 'Multipart `file`; only while the request is `WAITING_FOR_FILE`',
    who: 'desk',
    requestBody: multipartFile(true),
    answers: {
      201: {
        description: 'The file is stored (`attachment`) and the workflow delivers it',
        json: shapes.actionAnswer.extend({ attachment: shapes.attachment }),
      },
      409: 'The request is not waiting for a license file',
      413: 'A file is at most 5 MB',
    },
  }),
  rmaReceived: documented({
    summary: 'The replaced hardware came back',
    description:
      "`{ note? }`; hardware replacements only, while the request is `WAITING_FOR_RMA`. The workflow's validator has the last word: a part that is not awaited, or is already recorded, is `409` with its reason",
    who: 'desk',
    answers: {
      202: { description: 'Recorded; the request completes moments later', json: shapes.actionAnswer },
      409: 'Not a hardware replacement, the request is not waiting for returned hardware, or the part is already recorded',
    },
  }),
  comment: documented({
    summary: 'Comment on a request',
    description: '`{ body, internal? }`; only the desk writes `internal: true` notes',
    who: 'logged in',
    answers: { 201: { description: 'The comment', json: shapes.comment }, 403: 'Only the desk can write internal notes' },
  }),
  attachment: documented({ summary: 'Download an attachment', who: 'logged in', answers: { 200: download('application/octet-stream', 'The file') } }),
};
