import { DomainError } from './errors.ts';

/**
 * Hardware key codes lock NEC-style products to their system. Each system type has its own
 * code format (NEC LMS "Hardware Key Code format" table); `Product.hardwareKeyType` names one.
 * Most codes are case-insensitive and stored in upper case. The 28-character SV8500, SV9300 and
 * SV9500 codes end in a mixed-case check part (e.g. ...57xO, ...d3Po), so their case is kept.
 */
export interface HardwareKeyType {
  /** Stable key stored in `Product.hardwareKeyType`, e.g. "SV9100_CP20". */
  systemType: string;
  label: string;
  /** Shown as a placeholder and in error messages. */
  example: string;
  /** The format in words, completing "… hardware key code must be <format>". */
  format: string;
  /** Whether letter case is significant (kept as typed) or folded to upper case. */
  caseSensitive: boolean;
  /** External products: the license file comes from outside, the desk uploads it. */
  external: boolean;
}

interface Rule extends HardwareKeyType {
  pattern: RegExp;
  /** Turns an accepted input into the stored form (after spaces are removed and case folded). */
  canonical?: (code: string) => string;
}

const RULES: readonly Rule[] = [
  {
    systemType: 'SL1000',
    label: 'SL1000 / SL1100',
    example: '280001451316',
    format: '12 digits',
    pattern: /^\d{12}$/,
    caseSensitive: false,
    external: false,
  },
  {
    systemType: 'SL2100',
    label: 'SL2100',
    example: '3810004626AD',
    format: '12 characters starting with 38 (digits and letters A-F)',
    pattern: /^38[0-9A-F]{10}$/,
    caseSensitive: false,
    external: false,
  },
  {
    systemType: 'SV8100',
    label: 'SV8100 / BCT',
    example: '190400324412',
    format: '12 digits',
    pattern: /^\d{12}$/,
    caseSensitive: false,
    external: false,
  },
  {
    systemType: 'SV9100_CP10',
    label: 'SV9100 CP10',
    example: '340209224568',
    format: '12 characters starting with 34 (digits and letters A-F)',
    pattern: /^34[0-9A-F]{10}$/,
    caseSensitive: false,
    external: false,
  },
  {
    systemType: 'SV9100_CP20',
    label: 'SV9100 CP20',
    example: '4410011575A6',
    format: '12 characters starting with 44 (digits and letters A-F)',
    pattern: /^44[0-9A-F]{10}$/,
    caseSensitive: false,
    external: false,
  },
  {
    systemType: 'SV8500',
    label: 'SV8500',
    example: '22CC538207AFD058020640CD57xO',
    format: '28 letters and digits starting with 22, with upper and lower case exactly as shown on the system',
    pattern: /^22[0-9A-Za-z]{26}$/,
    caseSensitive: true,
    external: false,
  },
  {
    systemType: 'SV9300',
    label: 'SV9300',
    example: '36LYRAABK000000000CP10A087HY',
    format: '28 letters and digits starting with 36, with upper and lower case exactly as shown on the system',
    pattern: /^36[0-9A-Za-z]{26}$/,
    caseSensitive: true,
    external: false,
  },
  {
    systemType: 'SV9500',
    label: 'SV9500',
    example: '35G00N470108E0S0A8832EF2d3Po',
    format: '28 letters and digits starting with 35, with upper and lower case exactly as shown on the system',
    pattern: /^35[0-9A-Za-z]{26}$/,
    caseSensitive: true,
    external: false,
  },
  {
    systemType: 'DECT',
    label: 'DECT',
    example: '1009FFFE',
    format: '8 hex digits starting with 1',
    pattern: /^1[0-9A-F]{7}$/,
    caseSensitive: false,
    external: false,
  },
  {
    systemType: 'UM4730',
    label: 'UM4730',
    example: '11-10465697',
    format: '2 digits, a hyphen and 8 digits',
    // The hyphen is often left out when the code is read out; put it back.
    pattern: /^\d{2}-?\d{8}$/,
    canonical: (code) => (code.includes('-') ? code : `${code.slice(0, 2)}-${code.slice(2)}`),
    caseSensitive: false,
    external: true,
  },
];

/** The system types with a hardware-key lock, for pickers, placeholders and messages. */
export const HARDWARE_KEY_TYPES: readonly HardwareKeyType[] = RULES.map(({ systemType, label, example, format, caseSensitive, external }) => ({
  systemType,
  label,
  example,
  format,
  caseSensitive,
  external,
}));

export function isHardwareKeyType(systemType: string): boolean {
  return RULES.some((rule) => rule.systemType === systemType);
}

/**
 * Returns the hardware key code in its stored form: spaces removed, upper case unless the
 * type's case is significant. Refuses an unknown system type or a code that does not match
 * the type's format, naming the format and an example.
 */
export function normalizeHardwareKey(systemType: string, input: string): string {
  const rule = RULES.find((r) => r.systemType === systemType);
  if (!rule) {
    throw new DomainError(`Unknown system type "${systemType}"; expected one of ${RULES.map((r) => r.systemType).join(', ')}`, {
      code: 'HARDWARE_KEY_SYSTEM_TYPE',
      field: 'systemType',
    });
  }
  const compact = input.replace(/\s+/g, '');
  const code = rule.caseSensitive ? compact : compact.toUpperCase();
  if (code === '') {
    throw new DomainError(`${rule.label} hardware key code is required: ${rule.format}, e.g. ${rule.example}`, {
      code: 'HARDWARE_KEY_REQUIRED',
      field: 'hardwareKey',
    });
  }
  if (!rule.pattern.test(code)) {
    throw new DomainError(
      `${rule.label} hardware key code must be ${rule.format}, e.g. ${rule.example} (got "${shorten(compact)}", ${compact.length} characters)`,
      { code: 'HARDWARE_KEY_FORMAT', field: 'hardwareKey' },
    );
  }
  return rule.canonical ? rule.canonical(code) : code;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
