import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import {
  ddbBackendFromEnv,
  type LocalCloud,
  type LocalCloudOptions,
  startLocalCloud,
} from '#shared/local-cloud/local-cloud.ts';

/**
 * A local cloud for one test file: its own emulators on ports the OS picks, its own stage name (so
 * tables never collide in a shared DynamoDB Local), started in beforeAll and stopped in afterAll.
 * Backend: env SERTAKAN_DDB (`dynalite` default, `dynamodb-local` for AWS's Java emulator). With
 * dynamodb-local the Java process comes from test/support/dynamodb-local-global-setup.ts when that
 * globalSetup is configured, else from SERTAKAN_DDB_ENDPOINT, else each file starts its own.
 *
 * Usage: `const cloud = useLocalCloud();` at file level, then `cloud()` inside tests.
 */
export const useLocalCloud = (opts: Omit<LocalCloudOptions, 'stage' | 'ddb'> = {}): (() => LocalCloud) => {
  let current: LocalCloud | undefined;
  beforeAll(async () => {
    const ddb = ddbBackendFromEnv();
    const shared = ddb === 'dynamodb-local' ? sharedDdbEndpoint() : undefined;
    current = await startLocalCloud({
      ...opts,
      stage: `t${randomBytes(4).toString('hex')}`,
      ddb,
      ...(shared === undefined ? {} : { ddbEndpoint: shared }),
    });
  });
  afterAll(async () => {
    await current?.stop();
  });
  return () => {
    if (current === undefined)
      throw new Error('useLocalCloud(): the cloud starts in beforeAll; use it in tests');
    return current;
  };
};

const sharedDdbEndpoint = (): string | undefined => {
  const injected = inject('sertakanDdbEndpoint');
  if (injected !== undefined) return injected;
  const fromEnv = process.env.SERTAKAN_DDB_ENDPOINT;
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
};
