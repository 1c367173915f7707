import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';

// Postgres `name` columns (OID 19) appear in catalogue queries that `migrate deploy` runs, and
// the pg adapter of Prisma 6.19 rejects that type (prisma/orm#27403). They are plain text, so
// report them as `text` (OID 25).
const PG_NAME_OID = 19;
const PG_TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };

function relabelNameColumns<T>(result: T): T {
  for (const field of (result as QueryResultLike).fields ?? []) {
    if (field.dataTypeID === PG_NAME_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

class NameAsTextPool extends pg.Pool {
  // pg's overloads make a typed override impractical; the adapter only uses the promise form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the return type of every pg.Pool.query overload at once
  override query(...args: unknown[]): any {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return result instanceof Promise ? result.then(relabelNameColumns) : result;
  }
}

/**
 * The Prisma driver-adapter factory for PostgreSQL, used both by the client at run time and by
 * the CLI's JS schema engine (`prisma.config.ts`).
 */
export class LicenseDeskPg extends PrismaPg {
  constructor(connectionString: string, poolSize = 10) {
    super(new NameAsTextPool({ connectionString, max: poolSize }), {
      disposeExternalPool: true,
    });
  }

  override async connect() {
    const adapter = await super.connect();
    const pool = adapter.underlyingDriver() as pg.Pool;
    // The adapter splits migration scripts on every ';', which breaks PL/pgSQL bodies such as
    // the append-only triggers. Postgres runs a multi-statement script in one simple query.
    adapter.executeScript = async (script: string) => {
      await pool.query(script);
    };
    return adapter;
  }
}
