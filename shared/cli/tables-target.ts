import { join } from 'node:path';
import { DEFAULT_REGION } from '#shared/config/operations.ts';
import {
  type DynamoDbClients,
  localCredentials,
  localRetry,
  makeDynamoDbClients,
} from '#shared/runtime/dynamodb-clients.ts';
import { openLocal } from './open-local.ts';
import {
  LOCK_WAIT_MS,
  namesFromEnv,
  type OpenOptions,
  type TargetNames,
  type TargetOptions,
} from './target.ts';

/** What a command that only reads and writes tables needs (the finance queries, pools, areas). */
export type TablesTarget = {
  readonly ddb: DynamoDbClients['ddb'];
  readonly tables: TargetNames['tables'];
  readonly via: string;
  close(): Promise<void>;
};

/**
 * {@link openTarget} for a command that touches tables only: on a data dir without a running
 * `local up` it starts DynamoDB alone (dynalite on the data dir, the tables created if missing), not
 * SQS, SNS and S3, and it loads no other SDK client. Same lock, same `local up` and AWS rules.
 */
export async function openTables(
  opts: TargetOptions,
  { lockWaitMs = LOCK_WAIT_MS, needsData = false }: Pick<OpenOptions, 'lockWaitMs' | 'needsData'> = {},
): Promise<TablesTarget> {
  if (opts.target === 'aws') {
    const names = namesFromEnv(process.env, opts.stage, false);
    // No endpoint: the default AWS credential chain.
    const { ddb, ddbRaw } = makeDynamoDbClients(process.env.AWS_REGION ?? DEFAULT_REGION, {});
    return {
      ddb,
      tables: names.tables,
      via: `AWS stack Sertakan-${opts.stage}`,
      close: async () => ddbRaw.destroy(),
    };
  }
  return openLocal(
    opts.dataDir,
    { lockWaitMs, needsData },
    {
      running: async (running) => {
        const { ddb, ddbRaw } = makeDynamoDbClients(running.region, {
          endpoint: running.endpoints.dynamodb,
          credentials: localCredentials,
          ...localRetry,
        });
        return {
          ddb,
          tables: running.names.tables,
          via: `local up${running.pid === undefined ? '' : ` (pid ${running.pid})`} on ${opts.dataDir}`,
          close: async () => ddbRaw.destroy(),
        };
      },
      embedded: () => embeddedTables(opts.dataDir),
    },
  );
}

/** dynalite alone on `<dataDir>/dynamodb` (where the whole local cloud keeps it), tables ensured. */
const embeddedTables = async (dataDir: string): Promise<TablesTarget> => {
  const { startDynalite } = await import('#shared/local-cloud/emulators.ts');
  const { createTables } = await import('#shared/local-cloud/create-tables.ts');
  const dynalite = await startDynalite({ host: '127.0.0.1', port: 0, dataDir: join(dataDir, 'dynamodb') });
  // The region the whole local cloud uses (local-cloud.ts), so both see the same tables.
  const { ddb, ddbRaw } = makeDynamoDbClients(DEFAULT_REGION, {
    endpoint: dynalite.endpoint,
    credentials: localCredentials,
    ...localRetry,
  });
  const close = async () => {
    ddbRaw.destroy();
    await dynalite.stop();
  };
  try {
    const tableNames = await createTables(ddbRaw, 'local');
    return { ddb, tables: tableNames, via: `embedded local cloud on ${dataDir}`, close };
  } catch (err) {
    await close();
    throw err;
  }
};
