import { DomainError } from './errors.ts';

/**
 * MAC addresses lock a license to the network card of the recording server. We store them as
 * 12 lowercase hex digits (the form Mirasys licenses use, e.g. c8d9d29aa31b) and accept the
 * ways people copy them: colons or hyphens between bytes (Linux, Windows) or Cisco's dotted
 * groups of four.
 */
export const MAC_EXAMPLE = 'c8d9d29aa31b';

const FORMS = `${MAC_EXAMPLE}, c8:d9:d2:9a:a3:1b, c8-d9-d2-9a-a3-1b or c8d9.d29a.a31b`;

const ACCEPTED = [/^[0-9a-f]{12}$/i, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, /^[0-9a-f]{2}(-[0-9a-f]{2}){5}$/i, /^[0-9a-f]{4}(\.[0-9a-f]{4}){2}$/i];

function refuse(code: string, message: string): never {
  throw new DomainError(message, { code, field: 'macAddress' });
}

/** Returns the MAC as 12 lowercase hex digits, or refuses with a message that shows the form. */
export function normalizeMac(input: string): string {
  const text = input.trim();
  if (text === '') refuse('MAC_REQUIRED', `MAC address is required: 12 hex digits, e.g. ${MAC_EXAMPLE}`);

  const stray = text.replace(/[0-9a-f:.-]/gi, '');
  if (stray !== '') {
    const shown = [...new Set(stray)].map((c) => (c.trim() === '' ? 'a space' : `"${c}"`)).join(', ');
    refuse('MAC_CHARACTERS', `MAC address may contain only hex digits 0-9 and a-f (found ${shown}); it must be 12 hex digits, e.g. ${MAC_EXAMPLE}`);
  }

  const digits = text.replace(/[:.-]/g, '');
  if (digits.length !== 12) {
    refuse('MAC_LENGTH', `MAC address must be 12 hex digits, e.g. ${MAC_EXAMPLE} (got ${digits.length})`);
  }
  if (!ACCEPTED.some((form) => form.test(text))) {
    refuse('MAC_SEPARATORS', `MAC address separators are misplaced; write it as ${FORMS}`);
  }

  const mac = digits.toLowerCase();
  if (mac === '000000000000') {
    refuse('MAC_ALL_ZERO', `MAC address 00:00:00:00:00:00 is not a network card's address; use the server's MAC, e.g. ${MAC_EXAMPLE}`);
  }
  if (mac === 'ffffffffffff') {
    refuse('MAC_BROADCAST', `MAC address ff:ff:ff:ff:ff:ff is the broadcast address, not a network card's; use the server's MAC, e.g. ${MAC_EXAMPLE}`);
  }
  // The least-significant bit of the first byte marks a group (multicast) address; a card's own
  // address always has it clear, i.e. the second hex digit is even.
  if (parseInt(mac.slice(0, 2), 16) & 1) {
    refuse(
      'MAC_MULTICAST',
      `MAC address ${formatMac(mac)} is a multicast address (its first byte ${mac.slice(0, 2)} is odd), not a network card's; ` +
        `a card's MAC has an even first byte, e.g. ${MAC_EXAMPLE}`,
    );
  }
  return mac;
}

/**
 * The one form a MAC is shown in, everywhere: the UI, the timelines' texts, the mails and the
 * license report. Lower-case pairs joined by colons, e.g. c8:d9:d2:9a:a3:1b: the digits as Mirasys
 * licenses and our database write them, made readable.
 *
 * Formats a stored MAC for display as c8:d9:d2:9a:a3:1b. It only checks the shape (12 hex digits,
 * separators allowed), not the rules of `normalizeMac`, so an old stored value still displays.
 */
export function formatMac(mac: string): string {
  const digits = mac.trim().replace(/[:.-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(digits)) {
    refuse('MAC_LENGTH', `MAC address must be 12 hex digits, e.g. ${MAC_EXAMPLE}`);
  }
  return digits.match(/../g)!.join(':');
}

/**
 * `formatMac` for a value that may not be a MAC at all (an old row, a hardware key typed into the MAC
 * field, nothing): formats what it can and gives back anything else as it was, trimmed; '' for none.
 */
export function displayMac(value: string | null | undefined): string {
  const text = (value ?? '').trim();
  const digits = text.replace(/[:.\s-]/g, '');
  return /^[0-9a-f]{12}$/i.test(digits) ? digits.toLowerCase().match(/../g)!.join(':') : text;
}

/**
 * A text that names MACs after their label ("MAC: c8d9d29aa31b → C8-D9-D2-9A-A3-1C", as timelines'
 * changes were written) with every such MAC in the canonical form. A hardware key is labelled
 * "Hardware key" and stays as it is.
 */
export function canonicalMacsIn(text: string): string {
  return text
    .replace(
      /\b(MAC:?\s*)((?:[0-9a-f]{2}[:-]?){5}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})(?![0-9a-f])/gi,
      (_, label: string, mac: string) => label + displayMac(mac),
    )
    .replace(/(MAC:?\s*\S+\s*→\s*)((?:[0-9a-f]{2}[:-]?){5}[0-9a-f]{2})(?![0-9a-f])/gi, (_, head: string, mac: string) => head + displayMac(mac));
}
