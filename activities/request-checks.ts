import { ApplicationFailure } from '@temporalio/activity';
import type { z } from 'zod';
import { isDomainError } from '../domain/errors.ts';
import { normalizeMac } from '../domain/mac-address.ts';
import type { RequestType } from '../domain/request-forms.ts';
import { checkActive, checkLockedTo, ownLicense } from '../domain/request-rules.ts';
import { normalizeSerial } from '../domain/serial.ts';
import type { PrismaClient } from '../prisma/client.ts';

/**
 * The checks the request activities share: refusals the partner reads, the request's form,
 * and "a license of your company" looked up by serial.
 */

/** A refusal the partner reads; Temporal does not retry it. */
export function refuse(message: string, type = 'RequestInvalid'): never {
  throw ApplicationFailure.nonRetryable(message, type);
}

/** Runs a domain rule; its DomainError becomes a refusal with the same message. */
export function fromDomain<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isDomainError(error)) refuse(error.message);
    throw error;
  }
}

/**
 * Loads a request of the given type and parses its payload with that type's form. A request of
 * another type is a workflow bug (a plain error, retried); a payload that does not fit the form
 * is refused with the form's messages.
 */
export async function loadRequestForm<S extends z.ZodType>(prisma: PrismaClient, requestId: string, type: RequestType, schema: S) {
  const request = await prisma.request.findUniqueOrThrow({ where: { id: requestId } });
  if (request.type !== type) throw new Error(`Request ${requestId} is a ${request.type}, not ${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`);
  const parsed = schema.safeParse(request.payload);
  if (!parsed.success) refuse(parsed.error.issues.map((i) => i.message).join('; '));
  return { request, form: parsed.data as z.output<S> };
}

/**
 * The license with this serial, with its product, when it belongs to the company; with
 * `macAddress`, also locked to that MAC; and active. Refusals name the serial (normalised).
 * `activeMessage` is what a caller adds after "…, not active" (e.g. "; only an active license
 * can be moved to new hardware").
 */
export async function companyLicense(
  prisma: PrismaClient,
  { companyId, serial: serialInput, macAddress, activeMessage = '' }: { companyId: string; serial: string; macAddress?: string; activeMessage?: string },
) {
  const serial = fromDomain(() => normalizeSerial(serialInput));
  const found = await prisma.license.findUnique({ where: { serial }, include: { product: true } });
  const license = fromDomain(() => ownLicense(found, companyId, serial));
  if (macAddress !== undefined) {
    const mac = fromDomain(() => normalizeMac(macAddress));
    fromDomain(() => checkLockedTo(license, mac));
  }
  fromDomain(() => checkActive(license, activeMessage));
  return license;
}
