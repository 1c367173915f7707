import path from 'node:path';
import { LICENSE_REPORT_BATCH, LICENSE_REPORT_COLUMNS, LICENSE_REPORT_DATE_FORMAT } from '../api/reports/license-report.ts';
import { runNodeChild } from './processes.ts';

export interface ExportRun {
  seconds: number;
  bytes: number;
  peakRssMiB: number;
  /** Peak RSS with the code loaded and the database connected, before the export began. */
  loadedRssMiB: number;
  rows?: number;
}

export interface ExportResult {
  app: ExportRun;
  raw: ExportRun;
}

/**
 * The license report's Excel export of every history row, each run in a fresh process
 * (bench/export-child.ts) whose peak RSS is the export's: through the app's route, then the
 * same rows read with plain pg and written with exceljs's streaming writer.
 */
export async function measureExport(options: {
  env: NodeJS.ProcessEnv;
  dir: string;
  deskCookie: string;
  progress: (line: string) => void;
}): Promise<ExportResult> {
  const layout = { columns: LICENSE_REPORT_COLUMNS, dateFormat: LICENSE_REPORT_DATE_FORMAT, batch: LICENSE_REPORT_BATCH };
  const env = { ...options.env, BENCH_COOKIE: options.deskCookie, BENCH_REPORT_LAYOUT: JSON.stringify(layout) };
  options.progress('export: GET /api/reports/licenses.xlsx through the app...');
  const app = await runNodeChild<ExportRun>({ name: 'export-app', file: 'bench/export-child.ts', env, args: ['app', path.join(options.dir, 'app.xlsx')] });
  options.progress(
    `export: app took ${app.seconds.toFixed(1)} s, peak RSS ${Math.round(app.peakRssMiB)} MiB (${Math.round(app.loadedRssMiB)} MiB loaded), ${(app.bytes / 1e6).toFixed(0)} MB file; raw exceljs...`,
  );
  const raw = await runNodeChild<ExportRun>({ name: 'export-raw', file: 'bench/export-child.ts', env, args: ['raw', path.join(options.dir, 'raw.xlsx')] });
  options.progress(
    `export: raw took ${raw.seconds.toFixed(1)} s, peak RSS ${Math.round(raw.peakRssMiB)} MiB (${Math.round(raw.loadedRssMiB)} MiB loaded), ${raw.rows} rows`,
  );
  return { app, raw };
}
