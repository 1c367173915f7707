import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';

/**
 * The determinism guard: every history in test/fixtures/histories/ was recorded by a real run of
 * some version of the request workflows (scripts/capture-histories.vitest.ts), and today's
 * workflow code must replay each of them, since workflows started by that version may still be
 * running. A change to a workflow's commands needs patched() (docs/operations.md, "Changing a
 * workflow"). The fixtures' table, test/fixtures/histories/README.md, says what each history
 * holds; it is checked against the histories here.
 */
const HISTORIES_DIR = fileURLToPath(new URL('./fixtures/histories/', import.meta.url));
const WORKFLOWS_DIR = fileURLToPath(new URL('../workflows/', import.meta.url));

interface TableRow {
  file: string;
  workflowType: string;
  newBranches: string[];
  oldBranches: string[];
}

/** The rows of README.md's table: | `file.json` | workflow type | what happens | recorded with | new branch of | old branch of | */
async function readTable(): Promise<TableRow[]> {
  const text = await readFile(path.join(HISTORIES_DIR, 'README.md'), 'utf8');
  const ids = (cell: string) => [...cell.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
  return text
    .split('\n')
    .filter((line) => /^\|\s*`[^`]+\.json`/.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells.length !== 6) throw new Error(`README.md: a row needs 6 cells, this one has ${cells.length}: ${line}`);
      return { file: cells[0]!.replaceAll('`', ''), workflowType: cells[1]!.replaceAll('`', ''), newBranches: ids(cells[4]!), oldBranches: ids(cells[5]!) };
    });
}

/** The rows of README.md's second table: | `patch-id` | files with its new branch | files with its old branch | */
async function readPatchTable(): Promise<Array<{ id: string; newIn: string[]; oldIn: string[] }>> {
  const text = await readFile(path.join(HISTORIES_DIR, 'README.md'), 'utf8');
  const files = (cell: string) => [...cell.matchAll(/`([^`]+\.json)`/g)].map((m) => m[1]!);
  return text
    .split('\n')
    .filter((line) => /^\|\s*`[a-z0-9-]+`\s*\|/.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return { id: cells[0]!.replaceAll('`', ''), newIn: files(cells[1] ?? ''), oldIn: files(cells[2] ?? '') };
    });
}

async function historyFiles(): Promise<string[]> {
  return (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json')).sort();
}

interface SavedHistory {
  events: Array<{
    workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
    markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> };
  }>;
}

async function readHistory(file: string): Promise<SavedHistory> {
  return JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8')) as SavedHistory;
}

/** The ids of the patches whose new branch the history took: a patched() call that returned true records a core_patch marker. */
function patchMarkers(history: SavedHistory): string[] {
  return history.events.flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    return Object.values(marker.details ?? {}).flatMap((payloads) =>
      (payloads.payloads ?? []).map((p) => (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8')) as { id: string }).id),
    );
  });
}

/** Every id the workflow code passes to patched() today. */
async function patchIdsInWorkflows(): Promise<string[]> {
  const ids = new Set<string>();
  for (const file of await readdir(WORKFLOWS_DIR, { recursive: true })) {
    if (!file.endsWith('.ts')) continue;
    for (const m of (await readFile(path.join(WORKFLOWS_DIR, file), 'utf8')).matchAll(/\bpatched\(\s*'([^']+)'\s*\)/g)) ids.add(m[1]!);
  }
  return [...ids].sort();
}

describe('saved workflow histories (determinism guard)', () => {
  it('lists every saved history in test/fixtures/histories/README.md, and nothing else', async () => {
    const files = await historyFiles();
    const listed = (await readTable()).map((r) => r.file);
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect({ notInTable: files.filter((f) => !listed.includes(f)), listedButMissing: listed.filter((f) => !files.includes(f)) }).toEqual({
      notInTable: [],
      listedButMissing: [],
    });
    expect(listed.filter((f, i) => listed.indexOf(f) !== i)).toEqual([]);
  });

  it("the table's workflow type and patch branches are what each history holds", async () => {
    const wrong: string[] = [];
    for (const row of await readTable()) {
      const history = await readHistory(row.file).catch(() => undefined);
      if (!history) continue; // reported by the test above
      const type = history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      if (type !== row.workflowType) wrong.push(`${row.file}: the table says ${row.workflowType}, the history is ${type}`);
      const markers = [...new Set(patchMarkers(history))].sort();
      if (markers.join() !== [...row.newBranches].sort().join()) {
        wrong.push(`${row.file}: the table says new branch of [${row.newBranches.join(', ')}], its patch markers are [${markers.join(', ')}]`);
      }
      const both = row.oldBranches.filter((id) => markers.includes(id));
      if (both.length) wrong.push(`${row.file}: listed as old branch of [${both.join(', ')}], but it holds their markers`);
    }
    expect(wrong).toEqual([]);
  });

  it('every patched() id in workflows/ has its new and its old branch in a saved history, and a row of its own', async () => {
    const rows = await readTable();
    const perPatch = await readPatchTable();
    const missing = (await patchIdsInWorkflows()).flatMap((id) => [
      ...(rows.some((r) => r.newBranches.includes(id)) ? [] : [`${id}: no history takes its new branch`]),
      ...(rows.some((r) => r.oldBranches.includes(id)) ? [] : [`${id}: no history takes its old branch`]),
      ...(perPatch.some((r) => r.id === id) ? [] : [`${id}: no row in the per-patch table`]),
    ]);
    expect(missing).toEqual([]);
    // The per-patch table names only histories whose row above says so.
    const wrong = perPatch.flatMap(({ id, newIn, oldIn }) => [
      ...newIn.filter((f) => !rows.find((r) => r.file === f)?.newBranches.includes(id)).map((f) => `${id}: ${f} is not listed with its new branch`),
      ...oldIn.filter((f) => !rows.find((r) => r.file === f)?.oldBranches.includes(id)).map((f) => `${id}: ${f} is not listed with its old branch`),
    ]);
    expect(wrong).toEqual([]);
  });

  it("replays every saved history with today's workflow code", async () => {
    const files = await historyFiles();
    const histories = await Promise.all(files.map(async (file) => ({ workflowId: file, history: historyFromJSON(await readHistory(file)) })));
    const failures: Array<{ file: string; error: string }> = [];
    const replayed: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') } }, histories)) {
      replayed.push(result.workflowId);
      if (result.error) failures.push({ file: result.workflowId, error: `${result.error.name}: ${result.error.message}` });
    }
    expect(failures).toEqual([]);
    expect(replayed.sort()).toEqual(files);
  });

  it('a workflow changed without patched() fails the replay of a saved history with a DeterminismViolationError', async () => {
    // test/fixtures/changed-workflow/ validates before it records the submission.
    const bundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./fixtures/changed-workflow/index.ts', import.meta.url)),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
    });
    const history = historyFromJSON(await readHistory('new-installation-approved.json'));
    const error = await Worker.runReplayHistory({ workflowBundle: bundle }, history, 'new-installation-approved.json').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeterminismViolationError);
    expect((error as Error).name).toBe('DeterminismViolationError');
    // The mismatch is named: the history's first activity, and the one the changed code asks for instead.
    expect((error as Error).message).toMatch(/nondeterminism/i);
    expect((error as Error).message).toContain('recordStep');
    expect((error as Error).message).toContain('prepareNewInstallation');
  });
});
