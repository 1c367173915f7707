import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_DOC, currentDocument, routeTable, withTable } from '../scripts/api-docs.ts';

describe('docs/api.md', () => {
  it('has the route table of /api/openapi.json as it is now (npm run docs:api writes it)', async () => {
    const markdown = await readFile(API_DOC, 'utf8');
    const document = await currentDocument();
    const table = routeTable(document);
    // Every operation of the document is a row, with who may call it and each status it answers.
    const operations = Object.entries(document.paths ?? {}).flatMap(([route, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(operations.length).toBeGreaterThan(60);
    for (const operation of operations) expect(table, operation).toContain(`| \`${operation}\` |`);
    expect(table).toContain('| `POST /api/stocks/adjust` | desk admin |');
    expect(withTable(markdown, table), 'docs/api.md is out of date: run npm run docs:api').toBe(markdown);
  });
});
