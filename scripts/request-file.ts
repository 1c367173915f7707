#!/usr/bin/env -S node --import tsx
/**
 * The reference request file generator (docs/request-file.md): run on the installation, it writes
 * the installation's request file, which the partner gives the License Desk instead of typing the
 * MAC address or hardware key.
 *
 *   npx tsx scripts/request-file.ts --product MIRASYS-V9-ENTERPRISE --out request.json
 *   npm run request-file -- --product MIRASYS-V9-ENTERPRISE --channels 16 --out reduced.json
 *
 * Without --mac or --hardware-key it takes the MAC of the first network interface that is not
 * internal (loopback); without --installation-id, a stable id derived from the host name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isDomainError } from '../domain/errors.ts';
import { parseRequestFile, REQUEST_FILE_FORMAT, type RequestFile } from '../domain/request-file.ts';
import { normalizeMac } from '../domain/mac-address.ts';

const USAGE = `Usage: license-desk-request-file --product <product code> [options]

Writes the installation's License Desk request file (${REQUEST_FILE_FORMAT}).

  --product <code>          the product code of the installed software, e.g. MIRASYS-V9-ENTERPRISE (required)
  --mac <MAC>               the MAC address the license is locked to
                            (default: the first network interface that is not internal)
  --hardware-key <code>     the hardware key (dongle or CPU) code, for a product locked to one
  --channels <n>            the channels the installation is licensed for now (default 0: a new installation)
  --installation-id <id>    a stable name of the installation (default: derived from the host name)
  --out <file>              where to write the file (default: standard output)
  --help                    this text
`;

class UsageError extends Error {}

/** The MAC of the first network interface that is not internal and has a card's address. */
export function firstInterfaceMac(interfaces: ReturnType<typeof os.networkInterfaces> = os.networkInterfaces()): string | undefined {
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      if (address.internal) continue;
      try {
        return normalizeMac(address.mac);
      } catch {
        // 00:00:00:00:00:00 (a tunnel), a multicast address: not a card's, try the next.
      }
    }
  }
  return undefined;
}

/** The same id on every run on the host: its name, and a hash of it so that two hosts named alike but spelt apart differ. */
export function installationIdOf(hostname: string = os.hostname()): string {
  const name =
    hostname
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'host';
  return `${name}-${createHash('sha256').update(`license-desk-installation:${hostname}`).digest('hex').slice(0, 12)}`;
}

export function requestFileOf(argv: string[], now = new Date()): RequestFile {
  const { values } = parseArgs({
    args: argv,
    options: {
      product: { type: 'string' },
      mac: { type: 'string' },
      'hardware-key': { type: 'string' },
      channels: { type: 'string' },
      'installation-id': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.product) throw new UsageError('Give the product code with --product, e.g. --product MIRASYS-V9-ENTERPRISE');
  if (values.mac !== undefined && values['hardware-key'] !== undefined) throw new UsageError('Give --mac or --hardware-key, not both');
  const channelsText = values.channels ?? '0';
  if (!/^\d+$/.test(channelsText)) throw new UsageError(`--channels must be a whole number, 0 or more (got "${channelsText}")`);
  let hardware: RequestFile['hardware'];
  if (values['hardware-key'] !== undefined) {
    hardware = { type: 'HARDWARE_KEY', key: values['hardware-key'] };
  } else {
    const mac = values.mac ?? firstInterfaceMac();
    if (!mac) throw new UsageError('No network interface with a MAC address was found; give the MAC address with --mac');
    hardware = { type: 'MAC', mac };
  }
  const file = {
    format: REQUEST_FILE_FORMAT,
    product: values.product,
    hardware,
    installationId: values['installation-id'] ?? installationIdOf(),
    channels: Number(channelsText),
    createdAt: now.toISOString(),
    nonce: randomBytes(18).toString('base64url'),
  };
  // What the desk reads, read here first: a bad MAC is refused on the installation, in the desk's words.
  return parseRequestFile(JSON.stringify(file));
}

function main(argv: string[]) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const file = requestFileOf(argv);
    const text = `${JSON.stringify(file, null, 2)}\n`;
    const out = parseArgs({ args: argv, options: { out: { type: 'string' } }, strict: false }).values.out;
    if (typeof out === 'string') {
      writeFileSync(out, text);
      process.stderr.write(`Wrote the request file of ${file.installationId} (${file.product}, ${file.channels} channels) to ${out}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || isDomainError(error) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

// Run as a program (directly, or through the package's bin link), not when a test imports it.
if (process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url) {
  process.exitCode = main(process.argv.slice(2));
}
