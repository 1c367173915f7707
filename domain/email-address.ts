import { z } from 'zod';

/**
 * An e-mail address as every form takes it: what RFC 5321 allows in a mailbox (a local part of
 * at most 64 characters, domain labels of at most 63 that neither start nor end with a hyphen),
 * narrowed to the characters people type. The pattern is published in /api/openapi.json with
 * `format: email`, so a client's validator and ours agree on every address.
 */
export const EMAIL_PATTERN =
  // eslint-disable-next-line no-useless-escape -- the source is published as the OpenAPI pattern, where \- reads the same in every regex dialect
  /^(?=[^@]{1,64}@)(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+\-]@(?=[^@]{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** An address, lower-cased; `message` is the refusal the person reads. */
export const emailAddress = (message: string) => z.email({ message, pattern: EMAIL_PATTERN }).max(254, message).toLowerCase();
