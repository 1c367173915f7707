import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { domainRulesInSandbox } from './fixtures/domain-workflow.ts';
import { fileStack } from '../support/file-stack.ts';
import { workflowCode, WORKFLOWS_PATH } from '../../worker/workflow-bundle.ts';

/**
 * The domain rules are imported by workflow code, so they must bundle for the workflow sandbox
 * (no Node built-ins) and behave the same there, including Intl time zones.
 */
describe('domain rules in a Temporal workflow', () => {
  it('would be caught by the bundler if they imported a Node built-in', async () => {
    const logged: string[] = [];
    await expect(
      bundleWorkflowCode({
        workflowsPath: fileURLToPath(new URL('./fixtures/node-builtin-workflow.ts', import.meta.url)),
        logger: new DefaultLogger('WARN', (entry) => logged.push(`${entry.message} ${JSON.stringify(entry.meta ?? {})}`)),
      }),
    ).rejects.toThrow(/Webpack finished with errors/);
    expect(logged.join('\n')).toMatch(/ERROR in node:crypto/);
  });

  it('bundle without Node built-ins and give the same answers inside the sandbox', async () => {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./fixtures/domain-workflow.ts', import.meta.url)),
      logger: new DefaultLogger('WARN'),
    });

    const address = inject('temporalAddress');
    const namespace = fileStack.temporalNamespace;
    const connection = await NativeConnection.connect({ address });
    const clientConnection = await Connection.connect({ address });
    try {
      const taskQueue = `domain-rules-${Date.now()}`;
      const worker = await Worker.create({ connection, namespace, taskQueue, workflowBundle });
      const client = new Client({ connection: clientConnection, namespace });
      const friday1530 = Date.UTC(2026, 10, 20, 13, 30); // Fri 2026-11-20 15:30 Helsinki
      const result = await worker.runUntil(client.workflow.execute(domainRulesInSandbox, { taskQueue, workflowId: taskQueue, args: [{ t: friday1530 }] }));
      expect(result).toEqual({
        mac: 'c8:d9:d2:9a:a3:1b',
        hardwareKey: '4410011575A6',
        serialIsValid: true,
        upgrade: { ok: false, reason: 'This license is already on V9 Pro; choose a higher tier or a later version.' },
        balance: { available: 6, reserved: 4, consumed: 0 },
        key: 'request:reserve',
        due: Date.UTC(2026, 10, 23, 9, 30), // Mon 11:30 Helsinki
        hoursAcrossDst: 16,
        officeNow: 'boolean',
        refusal: 'SERIAL_CHARACTERS',
      });
    } finally {
      await clientConnection.close();
      await connection.close();
    }
  });

  it("takes the worker's workflows from WORKFLOW_BUNDLE_PATH when set, and refuses a path that names no file (or a folder) in words", () => {
    expect(workflowCode(undefined)).toEqual({ workflowsPath: WORKFLOWS_PATH });
    expect(workflowCode(inject('workflowBundlePath'))).toEqual({ workflowBundle: { codePath: inject('workflowBundlePath') } });
    expect(() => workflowCode(import.meta.dirname)).toThrow(`WORKFLOW_BUNDLE_PATH names no file: ${import.meta.dirname}.`);
    expect(() => workflowCode('/nowhere/workflow-bundle.js')).toThrow(
      'WORKFLOW_BUNDLE_PATH names no file: /nowhere/workflow-bundle.js. Build one with: npm run build:workflows -- /nowhere/workflow-bundle.js',
    );
  });
});
