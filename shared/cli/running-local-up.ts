import { existsSync, readFileSync } from 'node:fs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { endpointsFile } from '#shared/local-cloud/endpoints-file.ts';
import { localCredentials, localRetry, makeDynamoDbClients } from '#shared/runtime/dynamodb-clients.ts';
import { CliUsageError } from './usage.ts';

/**
 * A `sertakan local up` announces itself in `<data-dir>/endpoints.json` (local-runtime.ts
 * writeEndpointsFile) and removes the file when it stops. This is the one reader of that file: every
 * CLI command finds a running local up through {@link findRunningLocalUp}.
 */

/** What `local up` writes; only what the commands use is required, the rest passes through. */
export const endpointsFileSchema = z.object({
  pid: z.number().int().optional(),
  region: z.string(),
  endpoints: z.object({ dynamodb: z.url(), sqs: z.url(), s3: z.url() }).loose(),
  names: z
    .object({
      tables: z.object({ ledger: z.string(), registry: z.string(), audit: z.string() }).loose(),
      buckets: z.object({ intake: z.string(), reports: z.string() }).loose(),
      queues: z
        .object({
          deductions: z.object({ url: z.string() }).loose(),
          allocationJobs: z.object({ url: z.string() }).loose(),
          scanJobs: z.object({ url: z.string() }).loose(),
          payrollFiles: z.object({ url: z.string() }).loose(),
        })
        .loose(),
    })
    .loose(),
});
export type RunningLocalUp = z.infer<typeof endpointsFileSchema>;

/** True when a DynamoDB (a `local up`'s) answers at `endpoint` within 1.5 s. */
export const localDynamoDbAnswers = async (endpoint: string, region: string): Promise<boolean> => {
  const { ddbRaw } = makeDynamoDbClients(region, {
    endpoint,
    credentials: localCredentials,
    ...localRetry,
  });
  try {
    await ddbRaw.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1500) });
    return true;
  } catch {
    return false;
  } finally {
    ddbRaw.destroy();
  }
};

/**
 * The endpoints file of `dataDir`, if there is one. Throws CliUsageError naming the file and the
 * fields when it is there but not what `local up` writes (not JSON, or a field missing): never guessed.
 */
export function readEndpointsFile(dataDir: string): RunningLocalUp | undefined {
  const path = endpointsFile(dataDir);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CliUsageError(
      `${path}: not JSON; it is written by \`sertakan local up\` (remove it if no local up is running)`,
    );
  }
  const parsed = endpointsFileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')} (${i.code})`).join(', ');
    throw new CliUsageError(
      `${path}: not a \`sertakan local up\` endpoints file: ${where} (remove it if no local up is running)`,
    );
  }
  return parsed.data;
}

/** The `local up` serving this data dir: its endpoints file is there and its DynamoDB answers. */
export async function findRunningLocalUp(dataDir: string): Promise<RunningLocalUp | undefined> {
  const running = readEndpointsFile(dataDir);
  if (running === undefined) return undefined;
  return (await localDynamoDbAnswers(running.endpoints.dynamodb, running.region)) ? running : undefined;
}
