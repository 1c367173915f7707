import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * eslint.config.js, as npm run lint applies it, on snippets that lintText() files under a made-up
 * path: a Node built-in in a workflow, an activity's value in a workflow, a floating promise.
 */
const root = path.resolve(import.meta.dirname, '..');
// The snippets exist on no disk, so no tsconfig lists them: the project service types them in its
// default project, with the root tsconfig's options. Everything else is the real configuration.
const PROBES = ['workflows/lint-probe.ts', 'domain/lint-probe.ts', 'api/lint-probe.ts'];
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: PROBES, defaultProject: 'tsconfig.json' } } } },
});

async function lint(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages.map(({ ruleId, message, line }) => ({ ruleId, message, line }));
}

// eslint.config.js's messages (a JavaScript file that tsc does not read, hence copied here).
const WORKFLOW_SANDBOX_MESSAGE =
  'Workflow code (workflows/ and the domain/ rules it imports) runs in the deterministic Temporal workflow sandbox, which has no Node built-ins: ' +
  'do this in an activity, or use @temporalio/workflow.';
const ACTIVITY_VALUE_MESSAGE = 'Workflows call activities through proxyActivities(); import only their types (import type …)';

const IMPORTS = (builtin: string) => `import * as builtin from '${builtin}';\n\nexport const names = Object.keys(builtin);\n`;

describe('npm run lint', { timeout: 360_000 }, () => {
  it('refuses a Node built-in in a workflow, with or without the node: prefix, and says why', async () => {
    for (const builtin of ['node:fs', 'fs']) {
      expect(await lint(IMPORTS(builtin), 'workflows/lint-probe.ts'), builtin).toEqual([
        { ruleId: 'no-restricted-imports', message: expect.stringContaining(WORKFLOW_SANDBOX_MESSAGE) as unknown, line: 1 },
      ]);
    }
  });

  it('refuses one in domain/ too, which the workflows import', async () => {
    expect(await lint(IMPORTS('node:fs/promises'), 'domain/lint-probe.ts')).toEqual([
      { ruleId: 'no-restricted-imports', message: expect.stringContaining(WORKFLOW_SANDBOX_MESSAGE) as unknown, line: 1 },
    ]);
  });

  it('lets the API use the same import', async () => {
    expect(await lint(IMPORTS('node:fs'), 'api/lint-probe.ts')).toEqual([]);
    expect(await lint(IMPORTS('fs'), 'api/lint-probe.ts')).toEqual([]);
  });

  it('lets a workflow import the activities as types only', async () => {
    const typeOnly = "import type { Activities } from '../activities/index.ts';\n\nexport type Steps = Activities;\n";
    expect(await lint(typeOnly, 'workflows/lint-probe.ts')).toEqual([]);
    const value = "import * as activities from '../activities/index.ts';\n\nexport const steps = activities;\n";
    expect(await lint(value, 'workflows/lint-probe.ts')).toEqual([
      { ruleId: '@typescript-eslint/no-restricted-imports', message: expect.stringContaining(ACTIVITY_VALUE_MESSAGE) as unknown, line: 1 },
    ]);
  });

  it('reports a floating promise', async () => {
    const floating = 'async function sendMail(): Promise<void> {}\n\nexport function approve() {\n  sendMail();\n}\n';
    expect(await lint(floating, 'api/lint-probe.ts')).toEqual([
      { ruleId: '@typescript-eslint/no-floating-promises', message: expect.any(String) as unknown, line: 4 },
    ]);
    expect(await lint(floating.replace('  sendMail();', '  void sendMail();'), 'api/lint-probe.ts')).toEqual([]);
  });
});
