import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkWorkers } from '../../api/health/checks.ts';
import { freeClusterPorts, startCluster, type AppProcess, type Cluster } from '../../embedded/cluster.ts';
import { freePort } from '../../embedded/process.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../../embedded/smtp-catcher.ts';
import type { TemporalService } from '../../config/topology.ts';
import { ensureTemporalServer } from '../../embedded/tools.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { loadDemoData } from '../../prisma/demo-data.ts';
import { TOPOLOGY } from '../../config/topology.ts';
import { accountFor, completedInstallation } from '../faults/support/accounting.ts';
import { balanceOf } from '../support/request-harness.ts';
import { deskCookie, submitAndApprove, tokenPartner, type LoadedRequest } from './support/request-load.ts';
import { fileStack } from '../support/file-stack.ts';

/**
 * The production-shaped topology (config/topology.ts, what `npm run cluster` runs): the Temporal
 * server as four processes on PostgreSQL, two API replicas behind a round-robin balancer and three
 * workers. Partners (API tokens) and a desk agent (a session) drive requests over HTTP through the
 * balancer, and mid-load one part dies with SIGKILL: a worker, the matching service, the history
 * service. Every request must still complete with one reservation, one consume and each of its
 * mails delivered once, and the part that died must come back and take work again.
 */
const REQUESTS_PER_RUN = 12;
const CONCURRENT_CLIENTS = 4;
/** The kill comes once this many requests are approved, so others are mid-fulfilment or not yet submitted. */
const KILL_AFTER_APPROVALS = 4;
const STOCK = 10;

describe('the production-shaped cluster: load over both API replicas, a part killed mid-load', () => {
  let dataDir: string;
  let catcher: SmtpCatcher;
  let cluster: Cluster;
  let prisma: PrismaClient;
  let client: Client;
  let connection: Connection;
  let desk: string;
  const figures: string[] = [];

  beforeAll(async () => {
    await ensureTemporalServer(console.log);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'license-desk-cluster-'));
    prisma = createPrismaClient(fileStack.databaseUrl);
    await loadDemoData(prisma);
    // A catcher of its own, so that what it caught is exactly this cluster's mail.
    catcher = await startSmtpCatcher({ dir: path.join(dataDir, 'mail'), port: await freePort() });
    const started = Date.now();
    cluster = await startCluster({
      databaseUrl: fileStack.databaseUrl,
      smtpUrl: catcher.url,
      signingKeySecret: inject('signingKeySecret'),
      dataDir,
      ports: await freeClusterPorts(),
      // The suite's bundle for the three workers (and the one restarted), as npm run cluster hands them its own.
      env: { WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') },
      log: process.env.TEST_STACK_LOG ? (line) => console.log(line) : undefined,
    });
    figures.push(
      `cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s: Temporal ${TOPOLOGY.temporal.version} as ${TOPOLOGY.temporal.services.join(', ')}; ${cluster.apis.length} API replicas; ${cluster.workers.length} workers`,
    );
    connection = await Connection.connect({ address: cluster.temporal.address });
    client = new Client({ connection, namespace: cluster.temporal.namespace });
    desk = await deskCookie(prisma);
  }, 300_000);

  afterAll(async () => {
    console.log(`[cluster failover]\n  ${figures.join('\n  ')}`);
    await connection?.close();
    await cluster?.stop();
    await catcher?.stop();
    await prisma?.$disconnect();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  /**
   * Runs REQUESTS_PER_RUN requests from CONCURRENT_CLIENTS clients through the balancer; `chaos`
   * runs once KILL_AFTER_APPROVALS are approved, while the rest go on. Answers the requests and the
   * seconds from the kill until the last request completed.
   */
  async function underLoad(label: string, chaos: () => Promise<{ killedAt: number; rejoined: () => Promise<string> }>) {
    const servedBefore = cluster.balanced();
    let approved = 0;
    let next = 0;
    let chaosRun: ReturnType<typeof chaos> | undefined;
    const loaded: LoadedRequest[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENT_CLIENTS }, async () => {
        while (next < REQUESTS_PER_RUN) {
          const n = next++;
          // A company per request, so that its ledger, licenses and mail are its request's alone.
          const partner = await tokenPartner(prisma, STOCK);
          loaded.push(await submitAndApprove({ baseUrl: cluster.balancerUrl, prisma, partner, deskCookie: desk, n }));
          if (++approved === KILL_AFTER_APPROVALS) chaosRun = chaos();
        }
      }),
    );
    const { killedAt, rejoined } = await chaosRun!;
    const outcomes = await Promise.all(loaded.map((r) => client.workflow.getHandle(r.workflowId).result()));
    const recoveredIn = (Date.now() - killedAt) / 1000;
    expect(outcomes.map((o) => o.outcome)).toEqual(loaded.map(() => 'completed'));

    const caught = await catcher.list();
    let resent = 0;
    let delivered = 0;
    for (const request of loaded) {
      const account = await accountFor(prisma, caught, request.id);
      // The one window the outbox documents (services/mail/outbox.ts): a worker killed after the
      // SMTP server took a message and before the outbox marked it SENT sends it again, under the
      // same Message-ID. Count those copies and show them; every other difference fails.
      resent += account.outbox.reduce((n, o) => n + Math.max(0, o.copies - 1), 0);
      delivered += account.outbox.reduce((n, o) => n + o.copies, 0);
      expect({ id: request.id, ...account, outbox: account.outbox.map((o) => ({ ...o, copies: Math.min(o.copies, 1) })) }).toEqual({
        id: request.id,
        ...completedInstallation(['received', 'approved']),
      });
      // The stock moved by exactly what was approved: nothing held, nothing taken twice.
      expect(await balanceOf(prisma, request.partner.company.id, request.partner.product.id)).toEqual({
        available: STOCK - request.channels,
        reserved: 0,
        consumed: request.channels,
      });
    }
    const servedNow = cluster.balanced();
    const served = Object.keys(servedNow).map((url) => (servedNow[url] ?? 0) - (servedBefore[url] ?? 0));
    expect(served.every((n) => n > 0)).toBe(true);
    const rejoin = await rejoined();
    // Whether the kill caught work in flight: activities that had to start again.
    let retried = 0;
    for (const request of loaded) {
      const { events } = await client.workflow.getHandle(request.workflowId).fetchHistory();
      retried += (events ?? []).filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1).length;
    }
    figures.push(
      `${label}: ${loaded.length} requests completed, the last ${recoveredIn.toFixed(1)}s after the kill; ` +
        `HTTP calls per API replica ${served.join(' / ')}; ${loaded.reduce((n, r) => n + r.retries, 0)} client retries; ${retried} activities run again; ` +
        `the mail catcher got ${delivered} mails for this run's ${loaded.length * 2} (${resent} re-sent under the same Message-ID), ${caught.length} in all; ${rejoin}`,
    );
    return loaded;
  }

  /** The workers Temporal saw polling the task queue lately, as /api/health reads them. */
  async function pollers() {
    const check = await checkWorkers(connection, cluster.temporal.namespace, TOPOLOGY.taskQueue);
    return check.status === 'up' ? (check.identities as string[]) : [];
  }

  it('a worker killed with SIGKILL: the other two take its work, and it rejoins when restarted', async () => {
    const victim: AppProcess = cluster.workers[1]!;
    await underLoad('worker kill -9', async () => {
      const pid = victim.pid;
      const killedAt = Date.now();
      await victim.kill();
      // The others carry the load alone for a while; then the worker comes back.
      await new Promise((r) => setTimeout(r, 5_000));
      await victim.start();
      return {
        killedAt,
        rejoined: async () => {
          const identity = `${victim.pid}@`;
          // A worker polls at once; the server lists pollers seen in the last minute.
          for (let i = 0; i < 100 && !(await pollers()).some((p) => p.startsWith(identity)); i++) await new Promise((r) => setTimeout(r, 100));
          expect((await pollers()).some((p) => p.startsWith(identity))).toBe(true);
          return `worker ${pid} killed; restarted as ${victim.pid}, polling the task queue again`;
        },
      };
    });
  }, 300_000);

  for (const service of ['matching', 'history'] as TemporalService[]) {
    it(`the ${service} service killed with SIGKILL: requests wait for it, none is lost, and it rejoins`, async () => {
      const loaded = await underLoad(`${service} kill -9`, async () => {
        const killedAt = Date.now();
        await cluster.killService(service);
        await new Promise((r) => setTimeout(r, 3_000));
        await cluster.restartService(service);
        return { killedAt, rejoined: async () => `${service} restarted after 3 s and serving (the cluster has one ${service} process)` };
      });
      expect(loaded).toHaveLength(REQUESTS_PER_RUN);
    }, 300_000);
  }
});
