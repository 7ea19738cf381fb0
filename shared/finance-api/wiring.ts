import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/ports/clock.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import { DynamoDbBillBook } from '#shared/adapters/dynamodb-bill-book.ts';
import { DynamoDbConfirmationStore } from '#shared/adapters/dynamodb-confirmation-store.ts';
import { DynamoDbCreditHistory } from '#shared/adapters/dynamodb-credit-history.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import { DynamoDbLedgerQueries } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { DynamoDbPoolRegistry } from '#shared/adapters/dynamodb-pool-registry.ts';
import { DynamoDbShareStore } from '#shared/adapters/dynamodb-share-store.ts';
import type { CapacityMeter } from '#shared/adapters/dynamodb-support.ts';
import { type AreaQueries, makeAreaQueries } from '#shared/use-cases/area-views.ts';
import { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import { makeReconcileBpjs } from '#shared/use-cases/bpjs-loop/reconcile-bpjs.ts';
import { makeRecordPayment } from '#shared/use-cases/bpjs-loop/record-payment.ts';
import { coverageByNik } from '#shared/use-cases/finance/coverage.ts';
import type { FinanceDeps } from '#shared/use-cases/finance/deps.ts';
import { poolBalance } from '#shared/use-cases/finance/reports.ts';
import { makePoolAdmin, type PoolAdmin } from '#shared/use-cases/pool-admin.ts';
import type { BpjsRouteDeps } from './bpjs-routes.ts';

/**
 * The finance side wired on the two DynamoDB tables (ledger, registry): what the finance API, the
 * console API, the CLI and the bench build. Wiring lives here, not in the adapters, so an adapter knows
 * only its port and its table.
 */

/** The two tables, by name, and the client and clock every adapter shares. */
export type FinanceTables = {
  readonly ddb: DynamoDBDocumentClient;
  readonly ledgerTable: string;
  readonly registryTable: string;
  readonly clock: Clock;
  /** Counts read units (the bench). */
  readonly meter?: CapacityMeter;
};

/** The finance queries' ports (read-only) on the two tables. */
export function dynamoDbFinanceDeps(opts: FinanceTables): FinanceDeps {
  const base = { ddb: opts.ddb, ...(opts.meter === undefined ? {} : { meter: opts.meter }) };
  return {
    allocations: new DynamoDbAllocationLog({ ...base, tableName: opts.ledgerTable }),
    ledger: new DynamoDbLedgerQueries({ ...base, tableName: opts.ledgerTable }),
    shares: new DynamoDbShareStore({ ...base, tableName: opts.ledgerTable }),
    credits: new DynamoDbCreditLedger({ ...base, tableName: opts.ledgerTable }),
    history: new DynamoDbCreditHistory({ ...base, tableName: opts.ledgerTable }),
    pools: new DynamoDbPoolRegistry({ ddb: opts.ddb, tableName: opts.registryTable }),
    confirmations: new DynamoDbConfirmationStore({ ddb: opts.ddb, tableName: opts.ledgerTable }),
    clock: opts.clock,
  };
}

/** Pool administration and area queries on the two tables (the CLI and the finance API). */
export function poolAndAreaAccess(opts: FinanceTables): {
  readonly pools: PoolAdmin;
  readonly areas: AreaQueries;
} {
  const finance = dynamoDbFinanceDeps(opts);
  return {
    pools: makePoolAdmin({
      pools: new DynamoDbPoolRegistry({ ddb: opts.ddb, tableName: opts.registryTable }),
      clock: opts.clock,
    }),
    areas: makeAreaQueries({
      summaries: new DynamoDbAreaSummaries({ ddb: opts.ddb, tableName: opts.ledgerTable }),
      pendingCorrections: async (pool) => (await poolBalance(finance, { pool })).pendingCorrections,
    }),
  };
}

/**
 * Bill approval, payments and the three-way reconciliation on the ledger table (docs/bpjs-loop.md):
 * what the finance API's BPJS routes use.
 */
export function bpjsLoopAccess(opts: FinanceTables): BpjsRouteDeps {
  const tableName = opts.ledgerTable;
  const deps = {
    log: new DynamoDbAllocationLog({ ddb: opts.ddb, tableName }),
    book: new DynamoDbBillBook({ ddb: opts.ddb, tableName }),
    confirmations: new DynamoDbConfirmationStore({ ddb: opts.ddb, tableName }),
    clock: opts.clock,
  };
  return {
    bills: makeBillApproval(deps),
    payments: makeRecordPayment(deps),
    reconcile: makeReconcileBpjs(deps),
    coverage: (q) => coverageByNik(dynamoDbFinanceDeps(opts), q),
  };
}
