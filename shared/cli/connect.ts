import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { systemClock } from '#domain/ports/clock.ts';
import { dynamoDbFinanceDeps } from '#shared/adapters/dynamodb-ledger-queries.ts';
import { poolAndAreaAccess } from '#shared/adapters/dynamodb-pool-and-area.ts';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { localCredentials, makeAwsClients } from '#shared/runtime/aws-clients.ts';
import type { AreaQueries } from '#shared/use-cases/area-views.ts';
import { type FinanceQueries, makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import type { PoolAdmin } from '#shared/use-cases/pool-admin.ts';

/**
 * How a CLI command reaches the data (DESIGN.md §9):
 * - `--target local` (default): a running `sertakan local up` for the same data dir, found through
 *   `<data-dir>/endpoints.json` (written by `local up`) when its DynamoDB answers; otherwise an embedded
 *   local cloud started on the data dir for this command's duration (data persists between commands).
 * - `--target aws --stage S`: the deployed stack. Table names come from the CloudFormation outputs of
 *   `Sertakan-<S>-Stateful` (outputs LedgerTableName, RegistryTableName); until the CloudFormation client
 *   is a dependency, export them first, e.g.
 *   `export LEDGER_TABLE_NAME=$(aws cloudformation describe-stacks --stack-name Sertakan-prod-Stateful \
 *     --query "Stacks[0].Outputs[?OutputKey=='LedgerTableName'].OutputValue" --output text)` (same for
 *   REGISTRY_TABLE_NAME); credentials and region come from the usual AWS chain (profile, SSO, env).
 */

export type ConnectOptions = {
  readonly target: 'local' | 'aws';
  readonly stage: string;
  readonly dataDir: string;
};

export type Connection = {
  readonly queries: FinanceQueries;
  /** Pool records (`sertakan pool ...`) and area sums (`sertakan area ...`), docs/pools-and-areas.md. */
  readonly pools: PoolAdmin;
  readonly areas: AreaQueries;
  /** Where the data came from, for one line on stderr. */
  readonly via: string;
  close(): Promise<void>;
};

/** What `local up` writes to `<data-dir>/endpoints.json` (only the fields this needs are required). */
export const endpointsFileSchema = z.object({
  region: z.string().optional(),
  endpoints: z.object({ dynamodb: z.string().url() }).loose(),
  names: z.object({ tables: z.object({ ledger: z.string(), registry: z.string() }).loose() }).loose(),
});

export const endpointsFilePath = (dataDir: string): string => join(dataDir, 'endpoints.json');

/** True when a DynamoDB (a `local up`'s) answers at `endpoint` within 1.5 s. */
export const localDynamoDbAnswers = async (endpoint: string, region: string): Promise<boolean> => {
  const clients = makeAwsClients({
    endpoints: { dynamodb: endpoint },
    region,
    credentials: localCredentials,
  });
  try {
    await clients.ddbRaw.send(new ListTablesCommand({ Limit: 1 }), {
      abortSignal: AbortSignal.timeout(1500),
    });
    return true;
  } catch {
    return false;
  } finally {
    clients.destroy();
  }
};

const readRunning = async (dataDir: string) => {
  const path = endpointsFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  const parsed = endpointsFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) return undefined;
  const region = parsed.data.region ?? 'ap-southeast-3';
  return (await localDynamoDbAnswers(parsed.data.endpoints.dynamodb, region))
    ? { ...parsed.data, region }
    : undefined;
};

export async function connect(opts: ConnectOptions): Promise<Connection> {
  if (opts.target === 'aws') {
    const ledgerTable = process.env.LEDGER_TABLE_NAME;
    const registryTable = process.env.REGISTRY_TABLE_NAME;
    if (!ledgerTable || !registryTable) {
      throw new Error(
        `--target aws: set LEDGER_TABLE_NAME and REGISTRY_TABLE_NAME from the outputs of stack Sertakan-${opts.stage}-Stateful (see shared/cli/connect.ts)`,
      );
    }
    // No endpoints: the default AWS credential chain and region.
    const clients = makeAwsClients({});
    return {
      queries: makeFinanceQueries(
        dynamoDbFinanceDeps({ ddb: clients.ddb, ledgerTable, registryTable, clock: systemClock }),
      ),
      ...poolAndAreaAccess({ ddb: clients.ddb, ledgerTable, registryTable, clock: systemClock }),
      via: `AWS stack Sertakan-${opts.stage}`,
      close: async () => clients.destroy(),
    };
  }
  // Emulators only: never let the SDK probe the EC2 metadata address off this machine.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const running = await readRunning(opts.dataDir);
  if (running !== undefined) {
    const clients = makeAwsClients({
      endpoints: { dynamodb: running.endpoints.dynamodb },
      region: running.region,
      credentials: localCredentials,
    });
    return {
      queries: makeFinanceQueries(
        dynamoDbFinanceDeps({
          ddb: clients.ddb,
          ledgerTable: running.names.tables.ledger,
          registryTable: running.names.tables.registry,
          clock: systemClock,
        }),
      ),
      ...poolAndAreaAccess({
        ddb: clients.ddb,
        ledgerTable: running.names.tables.ledger,
        registryTable: running.names.tables.registry,
        clock: systemClock,
      }),
      via: `local up at ${running.endpoints.dynamodb}`,
      close: async () => clients.destroy(),
    };
  }
  const cloud = await startLocalCloud({ dataDir: opts.dataDir, stage: opts.stage, ddb: 'dynalite' });
  return {
    queries: makeFinanceQueries(
      dynamoDbFinanceDeps({
        ddb: cloud.clients.ddb,
        ledgerTable: cloud.names.tables.ledger,
        registryTable: cloud.names.tables.registry,
        clock: systemClock,
      }),
    ),
    ...poolAndAreaAccess({
      ddb: cloud.clients.ddb,
      ledgerTable: cloud.names.tables.ledger,
      registryTable: cloud.names.tables.registry,
      clock: systemClock,
    }),
    via: `embedded local cloud on ${opts.dataDir}`,
    close: () => cloud.stop(),
  };
}
