/**
 * The license list requests the benchmark makes, each with the same page and total written by
 * hand in SQL (the baseline). The API runs two statements per list (the page and its total, at
 * once on two connections); so does the baseline.
 */
export type ListCaseName = 'desk' | 'distributor' | 'search';

export interface ListCase {
  label: string;
  /** Who asks: the desk sees all licenses; the distributor its own and its 10 dealers'. */
  user: 'desk' | 'distributor';
  /** The simple-rest query string of GET /api/licenses. */
  query: { sort: [string, 'ASC' | 'DESC']; range: [number, number]; filter: Record<string, string> };
  pageSql: string;
  countSql: string;
  /** What $1 is: nothing, the distributor's company id, or the search text. */
  param?: 'distributorCompanyId' | 'searchText';
}

const PAGE = 'SELECT l.*, p.name AS "productName" FROM "License" l JOIN "Product" p ON p.id = l."productId"';
const VISIBLE =
  'l."companyId" IN (SELECT id FROM "Company" WHERE id = $1::uuid OR ("parentId" = $1::uuid AND (SELECT "seesDealers" FROM "Company" WHERE id = $1::uuid)))';
/** An end user's name fragment: 20 of the million licenses match. */
export const SEARCH_TEXT = '04242';
// The MAC is CHAR(12): compared with text it would be cast per row, and no index would serve the OR.
const SEARCH = `(l.serial LIKE '%' || upper($1) || '%' OR l."endUserCompany" ILIKE '%' || $1 || '%' OR l."macAddress" = lower($1)::char(12))`;

export const LIST_CASES: Record<ListCaseName, ListCase> = {
  desk: {
    label: 'desk, all licenses',
    user: 'desk',
    query: { sort: ['createdAt', 'DESC'], range: [0, 24], filter: {} },
    pageSql: `${PAGE} ORDER BY l."createdAt" DESC LIMIT 25`,
    // The total of a list narrowed only by company comes from the trigger-kept per-company counts, as in the API.
    countSql: 'SELECT COALESCE(sum(licenses), 0) AS total FROM "LicenseCount"',
  },
  distributor: {
    label: 'distributor + 10 dealers',
    user: 'distributor',
    query: { sort: ['createdAt', 'DESC'], range: [0, 24], filter: {} },
    pageSql: `${PAGE} WHERE ${VISIBLE} ORDER BY l."createdAt" DESC LIMIT 25`,
    countSql: `SELECT COALESCE(sum(licenses), 0) AS total FROM "LicenseCount" l WHERE ${VISIBLE}`,
    param: 'distributorCompanyId',
  },
  search: {
    label: `desk, search q="${SEARCH_TEXT}"`,
    user: 'desk',
    query: { sort: ['createdAt', 'DESC'], range: [0, 24], filter: { q: SEARCH_TEXT } },
    pageSql: `${PAGE} WHERE ${SEARCH} ORDER BY l."createdAt" DESC LIMIT 25`,
    countSql: `SELECT count(*) AS total FROM "License" l WHERE ${SEARCH}`,
    param: 'searchText',
  },
};

export function listPath(listCase: ListCase) {
  const { sort, range, filter } = listCase.query;
  const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
  return `/api/licenses?sort=${q(sort)}&range=${q(range)}&filter=${q(filter)}`;
}
