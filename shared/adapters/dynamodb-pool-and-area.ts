import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/ports/clock.ts';
import { type AreaQueries, makeAreaQueries } from '#shared/use-cases/area-views.ts';
import { makePoolAdmin, type PoolAdmin } from '#shared/use-cases/pool-admin.ts';
import { DynamoDbAreaSummaries } from './dynamodb-area-summaries.ts';
import { DynamoDbPoolRegistry } from './dynamodb-pool-registry.ts';

/** Pool administration and area queries on the two tables (the CLI and the finance API build these). */
export function poolAndAreaAccess(opts: {
  readonly ddb: DynamoDBDocumentClient;
  readonly ledgerTable: string;
  readonly registryTable: string;
  readonly clock: Clock;
}): { readonly pools: PoolAdmin; readonly areas: AreaQueries } {
  return {
    pools: makePoolAdmin({
      pools: new DynamoDbPoolRegistry({ ddb: opts.ddb, tableName: opts.registryTable }),
      clock: opts.clock,
    }),
    areas: makeAreaQueries({
      summaries: new DynamoDbAreaSummaries({ ddb: opts.ddb, tableName: opts.ledgerTable }),
    }),
  };
}
