import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { submitRequest } from '../api/requests/lifecycle.ts';
import { freePort } from '../embedded/process.ts';
import { registerSearchAttributes } from '../embedded/search-attributes.ts';
import { startEmbeddedTemporal } from '../embedded/temporal.ts';
import { ensureTemporalCli } from '../embedded/tools.ts';
import { requestReference } from '../domain/request-labels.ts';
import { approveUpdate, ownerConsentUpdate, rejectUpdate } from '../workflows/messages.ts';
import { companyIdKey, referenceKey, requestTypeKey, statusKey } from '../workflows/search-attributes.ts';
import { refuseWithoutSearchAttributes } from '../worker/search-attribute-check.ts';
import { newPartner, startRequestWorld, type RequestWorld, waitForPhase } from './support/request-harness.ts';
import { fileStack } from './support/file-stack.ts';

const run = promisify(execFile);
const OPERATIONS_MD = new URL('../docs/operations.md', import.meta.url);

/** The `temporal workflow list` command docs/operations.md gives for a company's open requests, as its words. */
async function documentedListCommand() {
  const doc = await readFile(OPERATIONS_MD, 'utf8');
  const block = /```sh\n(\.tools\/bin\/temporal workflow list [^`]*?)\n```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/operations.md has no `temporal workflow list` block');
  const words = block.replace(/\\\n\s*/g, ' ').match(/"[^"]*"|\S+/g)!;
  return words.map((word) => word.replace(/^"(.*)"$/, '$1'));
}

/** Polls a visibility read until `accept` holds: the visibility store lags the workflow by a moment. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('request workflows carry a memo and search attributes', () => {
  let world: RequestWorld;
  beforeAll(async () => {
    world = await startRequestWorld();
  });
  afterAll(() => world?.stop());

  it("are found by the documented query for a company's open requests, and the status follows the request", async () => {
    const { prisma, client, worker, desk } = world;
    const p = await newPartner(prisma, { stock: 10 });
    const request = await submitRequest(
      { prisma, client, taskQueue: worker.taskQueue },
      {
        companyId: p.company.id,
        requesterId: p.user.id,
        form: {
          type: 'NEW_INSTALLATION',
          deliveryEmails: [p.deliveryEmail],
          productId: p.product.id,
          channels: 3,
          lock: { type: 'MAC', value: 'C8:D9:D2:9A:A3:1B' },
          endUserCompany: 'Search test Oy',
        } as never,
      },
    );
    const reference = requestReference(request.number);
    await waitForPhase(client, request.workflowId, 'awaiting_decision');
    const handle = client.workflow.getHandle(request.workflowId);

    // The workflow opens for the desk's decision just before it records PENDING_APPROVAL.
    const described = await eventually(
      () => handle.describe(),
      (d) => d.typedSearchAttributes.get(statusKey) === 'PENDING_APPROVAL',
      'the status attribute',
    );
    expect(described.memo).toEqual({ reference, companyId: p.company.id, companyName: p.company.name, requestType: 'NEW_INSTALLATION' });
    expect(described.typedSearchAttributes.get(referenceKey)).toBe(reference);
    expect(described.typedSearchAttributes.get(companyIdKey)).toBe(p.company.id);
    expect(described.typedSearchAttributes.get(requestTypeKey)).toBe('NEW_INSTALLATION');
    expect(described.typedSearchAttributes.get(statusKey)).toBe('PENDING_APPROVAL');

    // The documented command, run as written against the suite's server, with this company's id.
    const cli = await ensureTemporalCli(() => {});
    const [program, ...args] = await documentedListCommand();
    expect(program).toBe('.tools/bin/temporal');
    const withServer = args.map((arg, i) =>
      args[i - 1] === '--address'
        ? inject('temporalAddress')
        : args[i - 1] === '--namespace'
          ? fileStack.temporalNamespace
          : arg.replace('<company id>', p.company.id),
    );
    const listOpen = async () => {
      const { stdout } = await run(cli, [...withServer, '--output', 'jsonl']);
      return stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { execution: { workflowId: string } }).execution.workflowId);
    };
    expect(await eventually(listOpen, (ids) => ids.length > 0, 'the open requests of the company')).toEqual([request.workflowId]);

    // The same query through the client finds it by its status too.
    const query = withServer[withServer.indexOf('--query') + 1]!;
    const byClient = async (text: string) => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query: text })) ids.push(execution.workflowId);
      return ids;
    };
    expect(await byClient(`${query} AND LicenseDeskStatus = 'PENDING_APPROVAL'`)).toEqual([request.workflowId]);
    expect(await byClient(`LicenseDeskReference = '${reference}'`)).toEqual([request.workflowId]);

    await handle.executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    expect(await handle.result()).toMatchObject({ outcome: 'completed' });
    expect((await handle.describe()).typedSearchAttributes.get(statusKey)).toBe('COMPLETED');
    expect(
      await eventually(
        () => byClient(`${query.replace(" AND ExecutionStatus = 'Running'", '')} AND LicenseDeskStatus = 'COMPLETED'`),
        (ids) => ids.length > 0,
        'the completed request',
      ),
    ).toEqual([request.workflowId]);
    expect(await eventually(listOpen, (ids) => ids.length === 0, 'no open request left')).toEqual([]);
  });

  it("follow the owner's consent, the one status an activity writes itself", async () => {
    const { prisma, client, worker, desk } = world;
    const owner = await newPartner(prisma, { stock: 5 });
    const buyer = await newPartner(prisma);
    const submit = (p: typeof owner, form: Record<string, unknown>) =>
      submitRequest(
        { prisma, client, taskQueue: worker.taskQueue },
        { companyId: p.company.id, requesterId: p.user.id, form: { deliveryEmails: [p.deliveryEmail], ...form } as never },
      );
    const installation = await submit(owner, {
      type: 'NEW_INSTALLATION',
      productId: owner.product.id,
      channels: 2,
      lock: { type: 'MAC', value: 'C8:D9:D2:9A:A3:1C' },
      endUserCompany: 'Search test Oy',
    });
    await waitForPhase(client, installation.workflowId, 'awaiting_decision');
    await client.workflow.getHandle(installation.workflowId).executeUpdate(approveUpdate, { args: [{ actor: desk }] });
    const { serial } = (await client.workflow.getHandle(installation.workflowId).result()) as { serial: string };
    const admin = await prisma.user.create({
      data: { email: `admin-${owner.tag}@partner.test`, name: `Admin ${owner.tag}`, role: 'PARTNER_ADMIN', companyId: owner.company.id, passwordHash: 'x' },
    });

    const request = await submit(buyer, {
      type: 'OWNERSHIP_CHANGE',
      serials: [serial],
      currentOwnerCompanyId: owner.company.id,
      newOwnerCompanyId: buyer.company.id,
    });
    const handle = client.workflow.getHandle(request.workflowId);
    const status = () => handle.describe().then((d) => d.typedSearchAttributes.get(statusKey));
    await eventually(status, (s) => s === 'WAITING_FOR_CONSENT', 'waiting for consent');
    await handle.executeUpdate(ownerConsentUpdate, { args: [{ actor: { userId: admin.id, name: admin.name }, consent: true }] });
    await eventually(status, (s) => s === 'PENDING_APPROVAL', 'pending approval after the consent');
    expect((await prisma.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING_APPROVAL');
    await handle.executeUpdate(rejectUpdate, { args: [{ actor: desk, reason: 'Search test' }] });
    await handle.result();
    expect(await status()).toBe('REJECTED');
  });
});

describe('registering the search attributes', () => {
  it('on a fresh data folder, again on the same folder, and on a folder from before they existed; the worker refuses a namespace without them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-search-attributes-'));
    const dbFile = path.join(dir, 'temporal.db');
    const namespace = 'license-desk';
    const names = ['LicenseDeskCompanyId', 'LicenseDeskReference', 'LicenseDeskRequestType', 'LicenseDeskStatus'];
    const registered = async (address: string) => {
      const connection = await Connection.connect({ address });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        return Object.keys(customAttributes ?? {})
          .filter((name) => name.startsWith('LicenseDesk'))
          .sort();
      } finally {
        await connection.close();
      }
    };
    try {
      const port = await freePort();
      let server = await startEmbeddedTemporal({ port, namespace, dbFile });
      expect(await registered(server.address)).toEqual(names);
      // A second registration finds them all and adds nothing.
      expect(await registerSearchAttributes({ address: server.address, namespace })).toEqual([]);
      await refuseWithoutSearchAttributes({ address: server.address, namespace });

      const connection = await Connection.connect({ address: server.address });
      const remove = () => connection.operatorService.removeSearchAttributes({ namespace, searchAttributes: names });
      await remove();
      expect(await registered(server.address)).toEqual([]);
      // As on a Temporal server of one's own that never had them: the worker stops, saying what to run.
      const refusal = `Temporal namespace license-desk at ${server.address} lacks the search attributes LicenseDeskReference, LicenseDeskCompanyId, LicenseDeskRequestType, LicenseDeskStatus, which every request workflow carries. Register them once (docs/operations.md, "Finding a request in Temporal"), then start again: temporal operator search-attribute create --address ${server.address} --namespace license-desk --name LicenseDeskReference --type Keyword --name LicenseDeskCompanyId --type Keyword --name LicenseDeskRequestType --type Keyword --name LicenseDeskStatus --type Keyword`;
      await expect(refuseWithoutSearchAttributes({ address: server.address, namespace })).rejects.toThrow(new Error(refusal));
      // The command it gives does it.
      const command = refusal.slice(refusal.indexOf('temporal operator')).split(' ');
      await run(await ensureTemporalCli(() => {}), command.slice(1));
      expect(await registered(server.address)).toEqual(names);
      await refuseWithoutSearchAttributes({ address: server.address, namespace });

      // A data folder from before this change: the attributes are gone when the server stops.
      await remove();
      await connection.close();
      await server.stop();

      server = await startEmbeddedTemporal({ port, namespace, dbFile });
      expect(await registered(server.address)).toEqual(names);
      await server.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
