import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { createKeyStore, type KeyStore } from '../../services/signing/key-store.ts';
import { signLicense } from '../../services/signing/sign-license.ts';
import { publicRoutes } from '../../api/routes/public.ts';
import { LicenseGrantsSchema, verifyLicenseFile, type LicenseGrants } from '../../domain/license-file.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { ensureJq } from '../../embedded/tools.ts';
import { fileStack } from '../support/file-stack.ts';
import { BASE64_ALPHABET, BASE64URL_ALPHABET, changeCharAt, sampleGrants, withField } from './grants-fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOC = path.join(ROOT, 'docs/license-file.md');
const GO_VERIFIER = path.join(ROOT, 'docs/verifiers/verify-license.go');
const EXAMPLE_DIR = path.join(ROOT, 'docs/verifiers/example');
const EXAMPLE_LICENSE = 'license-V8WJNEE89Q6A.lic';

const VERIFIED = 'Signature Verified Successfully\n';
const NOT_VERIFIED = 'Signature Verification Failure\n';
const CHANGED = (kid: string) => `INVALID: the signature does not match the data for key ${kid}; the file was changed after signing\n`;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...options, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number')
        reject(error as Error); // not started at all, e.g. not installed (an ExecFileException, whose type does not say Error)
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** The shell blocks of the doc marked `<!-- tested: name -->`, word for word. */
function markedShellBlock(doc: string, name: string): string {
  const match = new RegExp(`<!-- tested: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!match) throw new Error(`docs/license-file.md has no shell block marked <!-- tested: ${name} -->`);
  return match[1]!;
}

/**
 * Builds the Go verifier once per version of its source: `go run` would compile it on every call,
 * and reports every failing exit status as 1. A cold Go cache takes up to a minute; the binary
 * then stays in the temp folder for later runs.
 */
async function buildGoVerifier(): Promise<string> {
  const source = await readFile(GO_VERIFIER);
  const binary = path.join(os.tmpdir(), `license-desk-verify-license-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return binary;
  const partial = `${binary}.${process.pid}.partial`;
  const built = await run('go', ['build', '-o', partial, GO_VERIFIER]);
  if (built.code !== 0) throw new Error(`go build ${GO_VERIFIER} failed:\n${built.stderr}`);
  await rename(partial, binary);
  return binary;
}

describe('docs/license-file.md: its recipes and verifiers, run on files the desk signs', () => {
  let prisma: PrismaClient;
  let keyStore: KeyStore;
  let tmp: string;
  let doc: string;
  let goVerifier: string;
  let jqDir: string;

  beforeAll(async () => {
    prisma = createPrismaClient(fileStack.databaseUrl);
    // The SigningKey table is shared with other files: the cache is off so that this file's
    // rotation is seen at once, and every key it leaves behind still verifies.
    keyStore = createKeyStore({ prisma, secret: inject('signingKeySecret'), activeKeyCacheMs: 0 });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'license-desk-verifiers-'));
    doc = await readFile(DOC, 'utf8');
    [goVerifier, jqDir] = await Promise.all([buildGoVerifier(), ensureJq(() => {})]);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** What an integrator saves from GET /api/public-keys, as the API answers it. */
  async function savePublicKeys(dir: string): Promise<void> {
    const answer = await publicRoutes({ keyStore }).request('/public-keys');
    expect(answer.status).toBe(200);
    await writeFile(path.join(dir, 'public-keys.json'), await answer.text());
  }

  /** A fresh folder holding the file under its own name and the published keys. */
  async function folderWith(name: string, fileName: string, content: string): Promise<string> {
    const dir = path.join(tmp, name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, fileName), content);
    await savePublicKeys(dir);
    return dir;
  }

  // jq is gojq from the tools folder (npm run tools), first on the PATH: no machine needs jq from apt.
  const runRecipe = (block: string, dir: string, fileName: string) =>
    run('sh', ['-c', markedShellBlock(doc, block)], { cwd: dir, env: { ...process.env, PATH: `${jqDir}${path.delimiter}${process.env.PATH}`, LIC: fileName } });

  it("runs the recipe with the tools folder's jq (gojq), not one installed by hand", async () => {
    const { stdout } = await run('sh', ['-c', 'jq --version'], { env: { ...process.env, PATH: `${jqDir}${path.delimiter}${process.env.PATH}` } });
    expect(stdout).toMatch(/^gojq 0\.12\.17 /);
  });

  async function issue(serial: string): Promise<{ fileName: string; content: string; kid: string; grants: LicenseGrants }> {
    const grants = sampleGrants({ serial, issuedAt: new Date().toISOString() });
    return { ...(await signLicense({ keyStore, grants })), grants };
  }

  function tamperedCopies(content: string) {
    const { data } = JSON.parse(content) as { data: string };
    return {
      // One character in the middle of data: one changed byte of the grants.
      data: withField(content, 'data', (d) => changeCharAt(d, Math.floor(data.length / 2), BASE64URL_ALPHABET)),
      sig: withField(content, 'sig', (s) => changeCharAt(s, 10, BASE64_ALPHABET)),
      kid: withField(content, 'kid', (k) => `${k}0`),
    };
  }

  it('the openssl recipe verifies a freshly issued file and refuses a changed data, a changed sig and an unknown kid', async () => {
    const { fileName, content, grants } = await issue('DOCOPENSSL01');
    const changed = tamperedCopies(content);

    const genuine = await folderWith('openssl-genuine', fileName, content);
    expect(await runRecipe('verify-with-openssl', genuine, fileName)).toMatchObject({ code: 0, stdout: VERIFIED });
    const read = await runRecipe('read-grants', genuine, fileName);
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual(grants);

    for (const field of ['data', 'sig'] as const) {
      const dir = await folderWith(`openssl-${field}`, fileName, changed[field]);
      expect(await runRecipe('verify-with-openssl', dir, fileName), field).toMatchObject({ code: 1, stdout: NOT_VERIFIED });
    }
    const unknown = await folderWith('openssl-kid', fileName, changed.kid);
    const refused = await runRecipe('verify-with-openssl', unknown, fileName);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toContain('Could not read public key from key.pem');
  });

  it('the Go verifier prints VALID and the grants for a freshly issued file, INVALID and why for changed ones', async () => {
    const { fileName, content, kid, grants } = await issue('DOCGOLANG001');
    const changed = tamperedCopies(content);
    const verify = (dir: string) => run(goVerifier, [fileName, 'public-keys.json'], { cwd: dir });

    const genuine = await verify(await folderWith('go-genuine', fileName, content));
    expect(genuine.code).toBe(0);
    const [verdict, ...shown] = genuine.stdout.split('\n');
    expect(verdict).toBe(`VALID: signed by key ${kid}`);
    expect(JSON.parse(shown.join('\n'))).toEqual(grants);

    expect(await verify(await folderWith('go-data', fileName, changed.data))).toEqual({ code: 1, stdout: '', stderr: CHANGED(kid) });
    expect(await verify(await folderWith('go-sig', fileName, changed.sig))).toEqual({ code: 1, stdout: '', stderr: CHANGED(kid) });
    expect(await verify(await folderWith('go-kid', fileName, changed.kid))).toEqual({
      code: 1,
      stdout: '',
      stderr: `INVALID: key ${kid}0 is not among the published public keys\n`,
    });
  });

  it('a file signed before a rotation keeps verifying with the published keys, beside one signed after it', async () => {
    const before = await issue('DOCROTATE001');
    const rotated = await keyStore.rotate();
    const after = await issue('DOCROTATE002');
    expect(after.kid).toBe(rotated.kid);
    expect(before.kid).not.toBe(after.kid);

    for (const file of [before, after]) {
      const dir = await folderWith(`rotation-${file.grants.serial}`, file.fileName, file.content);
      const published = JSON.parse(await readFile(path.join(dir, 'public-keys.json'), 'utf8')) as { kid: string; status: string }[];
      expect(published.find((key) => key.kid === file.kid)?.status).toBe(file === before ? 'RETIRED' : 'ACTIVE');
      expect((await run(goVerifier, [file.fileName, 'public-keys.json'], { cwd: dir })).stdout).toMatch(new RegExp(`^VALID: signed by key ${file.kid}\\n`));
      expect(await runRecipe('verify-with-openssl', dir, file.fileName)).toMatchObject({ code: 0, stdout: VERIFIED });
    }
  });

  it('the example files verify with the recipe, the Go verifier and the desk itself, and the doc shows them as they are', async () => {
    const content = await readFile(path.join(EXAMPLE_DIR, EXAMPLE_LICENSE), 'utf8');
    const publicKeys = await readFile(path.join(EXAMPLE_DIR, 'public-keys.json'), 'utf8');
    const keys = JSON.parse(publicKeys) as { kid: string; publicKeyPem: string }[];

    // A copy: the recipe writes key.pem, data.txt and sig.bin beside the file.
    const dir = path.join(tmp, 'example');
    await cp(EXAMPLE_DIR, dir, { recursive: true });
    expect(await runRecipe('verify-with-openssl', dir, EXAMPLE_LICENSE)).toMatchObject({ code: 0, stdout: VERIFIED });
    const go = await run(goVerifier, [EXAMPLE_LICENSE, 'public-keys.json'], { cwd: dir });
    expect(go.stdout.split('\n')[0]).toBe('VALID: signed by key ld-20260601-7c3e91d4');
    // The example stands for the files already in the field: the desk's own verifier must keep
    // accepting a v1 file exactly as it was signed, so a schema change that refuses it fails here.
    const verdict = verifyLicenseFile(content, new Map(keys.map((key) => [key.kid, key.publicKeyPem])));
    expect(verdict).toMatchObject({ valid: true, kid: 'ld-20260601-7c3e91d4' });

    expect(doc).toContain(`\`\`\`json\n${content}\`\`\``);
    expect(doc).toContain(`\`\`\`json\n${publicKeys}\`\`\``);
    expect(doc).toContain(`\`\`\`json\n${JSON.stringify(verdict.valid && verdict.grants, null, 2)}\n\`\`\``);
  });

  it('the envelope table names the fields of a signed file, in order', async () => {
    const { content } = await issue('DOCFIELDS001');
    expect(tableRows(section(doc, '## The file')).map(([field]) => field)).toEqual(Object.keys(JSON.parse(content)).map((k) => `\`${k}\``));
  });

  it('the grants table lists every field of LicenseGrantsSchema with its type and presence, in order', () => {
    const documented = tableRows(section(doc, '## What a file grants')).map(([field, type, present]) => [field, type, present]);
    const expected = grantFields(z.toJSONSchema(LicenseGrantsSchema, { io: 'output' }) as JsonSchema);
    // The message shows the rows to write, so a new field is documented by copying them.
    expect(documented, `expected rows:\n${expected.map((row) => `| ${row.join(' | ')} | … |`).join('\n')}`).toEqual(expected);
  });
});

/** The text from a heading to the next heading of the same level. */
function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/license-file.md has no heading "${heading}"`);
  const next = doc.indexOf('\n## ', start + heading.length + 2);
  return doc.slice(start, next < 0 ? undefined : next);
}

/** The cells of a section's first table, header and separator left out. */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((line) => line.startsWith('| '));
  return lines.slice(2).map((line) => line.slice(2, -2).split(' | '));
}

interface JsonSchema {
  type?: string;
  enum?: string[];
  minimum?: number;
  format?: string;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** [`path`, type, presence] for every leaf of the grants, in the words the doc's table uses. */
function grantFields(schema: JsonSchema, prefix = ''): string[][] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const field = `${prefix}${name}`;
    if (property.type === 'object') return grantFields(property, `${field}.`);
    return [[`\`${field}\``, typeInWords(property), schema.required?.includes(name) ? 'always' : 'optional']];
  });
}

function typeInWords(schema: JsonSchema): string {
  if (schema.anyOf) {
    const options = schema.anyOf.filter((option) => option.type !== 'null');
    const nullable = options.length < schema.anyOf.length;
    const formats = options.map((option) => option.format);
    const base =
      formats.length === 2 && formats.includes('date') && formats.includes('date-time') ? 'date or date-time' : options.map(typeInWords).join(' or ');
    return nullable ? `${base}, or null` : base;
  }
  if (schema.enum) return `one of ${schema.enum.map((value) => `\`${value}\``).join(', ')}`;
  if (schema.type === 'integer') return schema.minimum === undefined ? 'integer' : `integer ≥ ${schema.minimum}`;
  if (schema.type === 'array') return `array of ${typeInWords(schema.items ?? {})}s`;
  if (schema.type === 'string' || schema.type === 'boolean' || schema.type === 'number') return schema.type;
  throw new Error(`No words yet for this part of the grants schema: ${JSON.stringify(schema)}`);
}
