/**
 * Vitest globalSetup for the integration project: when SERTAKAN_DDB=dynamodb-local, start ONE Java
 * DynamoDB Local for the whole run (a JVM per test file would cost seconds each) and hand its endpoint
 * to the test files through `provide`. Each file still gets its own tables (own stage name).
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '#shared/local-cloud/dynamodb-local.ts';
import { ddbBackendFromEnv } from '#shared/local-cloud/local-cloud.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sertakanDdbEndpoint: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (ddbBackendFromEnv() !== 'dynamodb-local') {
    project.provide('sertakanDdbEndpoint', undefined);
    return undefined;
  }
  const ddb = await startDynamoDbLocal();
  project.provide('sertakanDdbEndpoint', ddb.endpoint);
  return () => ddb.stop();
}
