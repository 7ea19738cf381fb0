import type { ColumnMappings } from '#domain/ports/column-mappings.ts';
import { DynamoDbColumnMappings } from '#shared/adapters/dynamodb-column-mappings.ts';
import { dynamoDbFinanceDeps, poolAndAreaAccess } from '#shared/finance-api/wiring.ts';
import type { AreaQueries } from '#shared/use-cases/area-views.ts';
import { type FinanceQueries, makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import type { PoolAdmin } from '#shared/use-cases/pool-admin.ts';
import { openTables } from './tables-target.ts';
import { type OpenOptions, type TargetOptions, targetClock } from './target.ts';

/**
 * How the finance commands (docs/design.md#the-cli) (balance, bill, reconcile, statement, runs, query) reach the data: the
 * target every command resolves (shared/cli/target.ts: a running `local up`, an embedded DynamoDB
 * under the data-dir lock, or the deployed stack), its tables only, with the finance queries on its
 * tables. On AWS only LEDGER_TABLE_NAME and REGISTRY_TABLE_NAME need to be set.
 */

export type ConnectOptions = TargetOptions;

export type Connection = {
  readonly queries: FinanceQueries;
  /** Pool records (`sertakan pool ...`) and area sums (`sertakan area ...`), docs/pools-and-areas.md. */
  readonly pools: PoolAdmin;
  readonly areas: AreaQueries;
  /** Agencies' saved payroll column mappings (`sertakan agency columns`), docs/intake.md. */
  readonly columnMappings: ColumnMappings;
  /** Where the data came from, for one line on stderr. */
  readonly via: string;
  close(): Promise<void>;
};

/**
 * Throws CliUsageError as openTarget does (a missing table variable, a data dir held too long, with
 * `needsData` a data dir without tables).
 */
export async function connect(
  opts: ConnectOptions,
  openOpts: Pick<OpenOptions, 'lockWaitMs' | 'needsData'> = {},
): Promise<Connection> {
  // Tables only: on a data dir without `local up`, DynamoDB starts alone (target.ts openTables).
  const target = await openTables(opts, openOpts);
  try {
    const tables = {
      ddb: target.ddb,
      ledgerTable: target.tables.ledger,
      registryTable: target.tables.registry,
      clock: targetClock(opts),
    };
    const queries = makeFinanceQueries(dynamoDbFinanceDeps(tables));
    const columnMappings = new DynamoDbColumnMappings({ ddb: tables.ddb, tableName: tables.registryTable });
    return {
      queries,
      ...poolAndAreaAccess(tables),
      columnMappings,
      via: target.via,
      close: () => target.close(),
    };
  } catch (err) {
    await target.close();
    throw err;
  }
}
