import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../api/validation.ts';
import {
  checkRequestFileChannels,
  checkRequestFileLockedTo,
  checkRequestFileNew,
  checkRequestFileProduct,
  lockOfRequestFile,
  parseRequestFile,
  REQUEST_FILE_FORMAT,
  requestFileJsonSchema,
} from '../../domain/request-file.ts';
import { requestSubmission } from '../../domain/request-forms.ts';
import { firstInterfaceMac, installationIdOf } from '../../scripts/request-file.ts';
import { currentRequestFileDoc, REQUEST_FILE_DOC } from '../../scripts/request-file-docs.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const GENERATOR = path.join(ROOT, 'scripts', 'request-file.ts');

const FILE = {
  format: REQUEST_FILE_FORMAT,
  product: 'MIRASYS-V9-ENTERPRISE',
  hardware: { type: 'MAC', mac: 'C8:D9:D2:9A:A3:1B' },
  installationId: 'vms-recorder-01',
  channels: 0,
  createdAt: '2026-12-08T09:30:00Z',
  nonce: 'a-random-nonce-of-24-chr',
};
const text = (file: object) => JSON.stringify(file);
/** The message parseRequestFile refuses the text with. */
const refusal = (input: string) => {
  try {
    parseRequestFile(input);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('request file format', () => {
  it('reads a file, the MAC as 12 lowercase hex digits, and gives its lock', () => {
    const file = parseRequestFile(`\uFEFF${text(FILE)}`);
    expect(file.hardware).toEqual({ type: 'MAC', mac: 'c8d9d29aa31b' });
    expect(lockOfRequestFile(file)).toEqual({ type: 'MAC', value: 'c8d9d29aa31b' });
    const keyed = parseRequestFile(text({ ...FILE, hardware: { type: 'HARDWARE_KEY', key: '4410011575A6' } }));
    expect(lockOfRequestFile(keyed)).toEqual({ type: 'HARDWARE_KEY', value: '4410011575A6' });
  });

  it('says in words what is wrong with a file', () => {
    expect(refusal('{"format": ')).toBe(
      'The request file is not valid JSON, so it is not a License Desk request file. Give the file the generator wrote, unchanged.',
    );
    expect(refusal('  ')).toBe('The request file is empty; give the file the generator wrote.');
    expect(refusal('["a"]')).toMatch(/^The request file is not a License Desk request file: its "format" must be "license-desk-request-file\/1"/);
    expect(refusal(text({ ...FILE, format: 'milestone-lrq' }))).toMatch(/^The request file is not a License Desk request file/);
    expect(refusal(text({ ...FILE, format: 'license-desk-request-file/2' }))).toBe(
      'The request file is of format license-desk-request-file/2; this desk reads license-desk-request-file/1. Write the file again with the generator of this desk.',
    );
    expect(refusal(text({ ...FILE, padding: 'x'.repeat(17_000) }))).toBe(
      'The request file is 17 KB; a request file is at most 16 KB. Give the file the generator wrote, unchanged.',
    );
    expect(refusal(text({ ...FILE, hardware: { type: 'MAC', mac: 'zz' } }))).toBe(
      `The request file's MAC address "zz" is not valid: MAC address may contain only hex digits 0-9 and a-f (found "z"); it must be 12 hex digits, e.g. c8d9d29aa31b`,
    );
    expect(refusal(text({ ...FILE, hardware: { type: 'MAC', mac: 'ff:ff:ff:ff:ff:ff' } }))).toMatch(
      /^The request file's MAC address "ff:ff:ff:ff:ff:ff" is not valid: .*broadcast/,
    );
    expect(refusal(text({ ...FILE, hardware: { type: 'DONGLE' } }))).toBe(
      `The request file's hardware type must be MAC or HARDWARE_KEY, e.g. {"type": "MAC", "mac": "c8d9d29aa31b"}`,
    );
    expect(refusal(text({ ...FILE, nonce: 'short' }))).toBe(
      "The request file's nonce must be at least 16 random characters; write a new file with the generator",
    );
    expect(refusal(text({ ...FILE, channels: -1 }))).toBe("The request file's channels cannot be negative; a new installation has 0");
    expect(refusal(text({ ...FILE, createdAt: 'yesterday' }))).toBe("The request file's createdAt must be an ISO 8601 date-time, e.g. 2026-12-08T09:30:00Z");
    const { nonce: _nonce, ...withoutNonce } = FILE;
    expect(refusal(text(withoutNonce))).toBe('The request file has no nonce');
    expect(refusal(text({ ...FILE, hostname: 'x' }))).toBe(
      'The request file has a field its format does not know: "hostname". Give the file the generator wrote, unchanged.',
    );
  });

  it("checks a file against the product, the license's lock and a return's channels", () => {
    const file = parseRequestFile(text(FILE));
    const product = { code: 'MIRASYS-V9-PRO', name: 'Mirasys V9 Pro' };
    expect(() => checkRequestFileProduct(file, product, 'the product chosen')).toThrow(
      'The request file is for product MIRASYS-V9-ENTERPRISE, but the product chosen is Mirasys V9 Pro (MIRASYS-V9-PRO). Give the request file of a Mirasys V9 Pro installation.',
    );
    expect(() => checkRequestFileProduct(file, { code: 'mirasys-v9-enterprise', name: 'E' }, 'x')).not.toThrow();
    const license = { serial: 'V8WJNEE89Q6A', lockType: 'MAC' as const, macAddress: '001b213a4f70', hardwareKey: null };
    expect(() => checkRequestFileLockedTo(file, license)).toThrow(
      'The request file is of the installation with MAC c8d9d29aa31b, but license V8WJNEE89Q6A is locked to MAC 001b213a4f70. Give the request file of that installation.',
    );
    expect(() => checkRequestFileLockedTo(file, { ...license, macAddress: 'c8d9d29aa31b' })).not.toThrow();
    expect(() => checkRequestFileChannels({ channels: 16 }, 12)).toThrow(/^The request file shows 16 channels; after the return the license has 12\. /);
    expect(() => checkRequestFileNew({ channels: 16 })).toThrow(/^The request file shows 16 channels, so the installation is licensed already/);
  });

  it('fills the lock of a submission from its file, and refuses a file that disagrees or cannot be read', () => {
    const base = {
      type: 'NEW_INSTALLATION',
      productId: '0b6c7b7e-3c1e-4a7e-9c1e-1b2c3d4e5f60',
      channels: 4,
      endUserCompany: 'Kauppa Oy',
      deliveryEmails: ['orders@example.com'],
    };
    const parsed = requestSubmission.parse({ ...base, requestFile: text(FILE) });
    expect(parsed).toMatchObject({ lock: { type: 'MAC', value: 'c8d9d29aa31b' }, requestFile: text(FILE) });
    const errors = (body: object) => {
      const result = requestSubmission.safeParse(body);
      return result.success ? {} : fieldErrors(result.error.issues as never);
    };
    // The file's own message, not "Give the lock".
    expect(errors({ ...base, requestFile: 'not json' })).toEqual({
      requestFile: 'The request file is not valid JSON, so it is not a License Desk request file. Give the file the generator wrote, unchanged.',
    });
    expect(errors({ ...base, lock: { type: 'MAC', value: '001b213a4f70' }, requestFile: text(FILE) })).toEqual({
      lock: "The MAC address typed is not the request file's MAC address c8d9d29aa31b; give the request file alone, or the lock the file names.",
    });
    const expansion = { type: 'CHANNEL_EXPANSION', serial: 'V8WJNEE89Q6A', channels: 2, deliveryEmails: ['orders@example.com'] };
    expect(requestSubmission.parse({ ...expansion, requestFile: text(FILE) })).toMatchObject({ macAddress: 'c8d9d29aa31b' });
    expect(errors({ ...expansion, requestFile: text({ ...FILE, hardware: { type: 'HARDWARE_KEY', key: '4410011575A6' } }) })).toEqual({
      requestFile: 'The request file names hardware key 4410011575A6; a channel expansion is asked for a license locked to a MAC address.',
    });
    // Stored forms read again by the workflow's activities: the same form, lock and file both present.
    expect(requestSubmission.parse(parsed)).toEqual(parsed);
  });

  it('publishes a JSON Schema generated from the zod schema, and the doc holds the current one', async () => {
    const doc = await readFile(REQUEST_FILE_DOC, 'utf8');
    expect(currentRequestFileDoc(doc), 'docs/request-file.md is out of date: run npm run docs:request-file').toBe(doc);
    const example = JSON.parse(/## The file\n\n```json\n([\s\S]*?)```/.exec(doc)![1]!) as object;
    expect(() => parseRequestFile(JSON.stringify(example))).not.toThrow();
    const validate = new Ajv2020({ strict: false, logger: false }).compile(requestFileJsonSchema());
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...example, format: 'license-desk-request-file/2' })).toBe(false);
  });
});

describe('request file generator (scripts/request-file.ts)', () => {
  const generate = (...args: string[]) => run(process.execPath, ['--import', 'tsx', GENERATOR, ...args], { cwd: ROOT });

  it('writes a file the desk reads, to standard output or --out', async () => {
    const { stdout } = await generate('--product', 'MIRASYS-V9-ENTERPRISE', '--mac', 'c8-d9-d2-9a-a3-1b', '--channels', '16', '--installation-id', 'rec-01');
    const file = parseRequestFile(stdout);
    expect(file).toMatchObject({ product: 'MIRASYS-V9-ENTERPRISE', hardware: { type: 'MAC', mac: 'c8d9d29aa31b' }, installationId: 'rec-01', channels: 16 });
    expect(file.nonce.length).toBeGreaterThanOrEqual(16);
    expect(Date.now() - Date.parse(file.createdAt)).toBeLessThan(60_000);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'request-file-'));
    try {
      const out = path.join(dir, 'request.json');
      await generate('--product', 'NEC-SV9100-INMAIL-CP20', '--hardware-key', '4410011575A6', '--out', out);
      const written = parseRequestFile(await readFile(out, 'utf8'));
      expect(written).toMatchObject({ hardware: { type: 'HARDWARE_KEY', key: '4410011575A6' }, channels: 0, installationId: installationIdOf() });
      expect(written.nonce).not.toBe(file.nonce);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("defaults to the first interface's MAC and an id from the host name, the same on each run", async () => {
    expect(installationIdOf('Recorder 01.local')).toMatch(/^recorder-01-local-[0-9a-f]{12}$/);
    expect(installationIdOf('Recorder 01.local')).toBe(installationIdOf('Recorder 01.local'));
    const mac = firstInterfaceMac();
    if (!mac) {
      await expect(generate('--product', 'P')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/give the MAC address with --mac/) });
      return;
    }
    const file = parseRequestFile((await generate('--product', 'P')).stdout);
    expect(file.hardware).toEqual({ type: 'MAC', mac });
    expect(file.installationId).toBe(installationIdOf());
  });

  it('refuses bad options on the installation, in the words of the desk, with exit code 2', async () => {
    await expect(generate('--product', 'P', '--mac', 'zz')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`The request file's MAC address "zz" is not valid`),
    });
    await expect(generate('--mac', 'c8d9d29aa31b')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Give the product code with --product') });
    await expect(generate('--product', 'P', '--channels', 'many')).rejects.toMatchObject({ code: 2 });
  });
});
