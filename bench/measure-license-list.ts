import pg from 'pg';
import { measureLoad, type LoadResult } from './load.ts';
import { LIST_CASES, listPath, SEARCH_TEXT, type ListCase, type ListCaseName } from './list-cases.ts';

export const LIST_CONNECTIONS = 4;
export const LIST_SECONDS = 10;

export interface ListResult {
  name: ListCaseName;
  label: string;
  app: LoadResult;
  baseline: LoadResult;
  /** Each SQL statement alone on an idle database, median of 5 runs (ms). */
  sqlAlone: { page: number; count: number };
  total: number;
}

async function medianMs(db: pg.Client, sql: string, params: unknown[]) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await db.query(sql, params);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
}

/**
 * GET /api/licenses on the real API (session, tenancy, zod, Prisma page + count) against the
 * same page and total by hand-written SQL on a bare Hono route, both over HTTP from
 * LIST_CONNECTIONS concurrent clients.
 */
export async function measureLicenseList(options: {
  db: pg.Client;
  apiUrl: string;
  bareUrl: string;
  cookies: { desk: string; distributor: string };
  distributorCompanyId: string;
  progress: (line: string) => void;
}): Promise<ListResult[]> {
  const results: ListResult[] = [];
  for (const [name, listCase] of Object.entries(LIST_CASES) as Array<[ListCaseName, ListCase]>) {
    const param = listCase.param === 'distributorCompanyId' ? options.distributorCompanyId : listCase.param === 'searchText' ? SEARCH_TEXT : undefined;
    const appUrl = `${options.apiUrl}${listPath(listCase)}`;
    const bareUrl = `${options.bareUrl}/bench/licenses/${name}${param ? `?p=${encodeURIComponent(param)}` : ''}`;
    const headers = { cookie: options.cookies[listCase.user] };

    // Both answer the same page and total, or the comparison means nothing.
    const [appPage, barePage] = await Promise.all([fetch(appUrl, { headers }), fetch(bareUrl)]);
    const appRows = (await appPage.json()) as Array<{ serial: string }>;
    const bareRows = (await barePage.json()) as Array<{ serial: string }>;
    const total = Number(appPage.headers.get('content-range')?.split('/').pop());
    if (
      appPage.status !== 200 ||
      total !== Number(barePage.headers.get('content-range')?.split('/').pop()) ||
      appRows.map((r) => r.serial.trim()).join() !== bareRows.map((r) => r.serial.trim()).join()
    ) {
      throw new Error(
        `The ${name} list and its SQL baseline disagree: ${appPage.status} ${appPage.headers.get('content-range')} vs ${barePage.headers.get('content-range')}`,
      );
    }

    options.progress(`list ${listCase.label}: ${total.toLocaleString('en-US')} matching; API ${LIST_SECONDS}s at ${LIST_CONNECTIONS} clients...`);
    const app = await measureLoad({ url: appUrl, headers, connections: LIST_CONNECTIONS, length: { seconds: LIST_SECONDS }, warmup: { seconds: 2 } });
    options.progress(`list ${listCase.label}: baseline...`);
    const baseline = await measureLoad({ url: bareUrl, connections: LIST_CONNECTIONS, length: { seconds: LIST_SECONDS }, warmup: { seconds: 2 } });
    const params = param ? [param] : [];
    const sqlAlone = { page: await medianMs(options.db, listCase.pageSql, params), count: await medianMs(options.db, listCase.countSql, params) };
    options.progress(`list ${listCase.label}: alone, the page SQL takes ${sqlAlone.page.toFixed(1)} ms and the count ${sqlAlone.count.toFixed(1)} ms`);
    results.push({ name, label: listCase.label, app, baseline, sqlAlone, total });
  }
  return results;
}
