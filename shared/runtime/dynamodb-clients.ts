import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_REGION } from '#shared/config/operations.ts';
import { recordAwsCalls } from './aws-call-log.ts';
import { makeDocumentClient } from './document-client.ts';

/**
 * The DynamoDB clients alone, without the S3, SQS and SNS SDK clients that aws-clients.ts adds: a
 * function or CLI command that talks only to DynamoDB imports this module and loads (or bundles) no
 * other SDK client.
 */

export type AwsEndpoints = {
  readonly dynamodb?: string;
  readonly sqs?: string;
  readonly sns?: string;
  readonly s3?: string;
};

export type AwsCredentials = { readonly accessKeyId: string; readonly secretAccessKey: string };

/** Emulators accept any credentials except s3rver, which only knows `S3RVER` unless told otherwise. */
export const localCredentials: AwsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Emulators answer in milliseconds: fail fast instead of the SDK's default back-off for AWS. */
export const localRetry = { maxAttempts: 3, retryMode: 'standard' } as const;

export type LocalSettings = {
  endpoint?: string;
  credentials?: AwsCredentials;
  maxAttempts?: number;
  retryMode?: string;
};

/**
 * For an emulator's fixed address: the endpoint as given, without evaluating the service's endpoint
 * rules on every request (an eighth of the CPU of a small call against dynalite; docs/cli-startup.md).
 * Not for S3, whose rules place the bucket in the path.
 */
export const fixedEndpoint = (endpoint: string) => {
  const url = new URL(endpoint);
  return { endpoint, endpointProvider: () => ({ url }) };
};

/** The DynamoDB clients alone: a function that needs nothing else bundles no other SDK client. */
export const makeDynamoDbClients = (region: string, local: LocalSettings) => {
  const { ddb, raw: ddbRaw } = makeDocumentClient(
    { region, ...local, ...(local.endpoint === undefined ? {} : fixedEndpoint(local.endpoint)) },
    { marshallOptions: { removeUndefinedValues: true } },
  );
  // No logger is ever configured, yet the SDK's logger middleware still walks every input and output.
  ddbRaw.middlewareStack.remove('loggerMiddleware');
  recordAwsCalls({ ddb: ddbRaw });
  return { ddb, ddbRaw };
};

/** The endpoint env vars the AWS CLI and SDKs also understand; the local cloud sets them in `env`. */
export const endpointEnvVars = {
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  sns: 'AWS_ENDPOINT_URL_SNS',
  s3: 'AWS_ENDPOINT_URL_S3',
} as const satisfies Record<keyof AwsEndpoints, string>;

export const endpointsFromEnv = (env: NodeJS.ProcessEnv = process.env): AwsEndpoints => {
  const endpoints: { -readonly [K in keyof AwsEndpoints]: string } = {};
  for (const [service, name] of Object.entries(endpointEnvVars) as [keyof AwsEndpoints, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') endpoints[service] = value;
  }
  return endpoints;
};

/** The DynamoDB clients with their destroy(), the shape commands and handlers pass around. */
export type DynamoDbClients = {
  readonly ddb: DynamoDBDocumentClient;
  readonly ddbRaw: DynamoDBClient;
  destroy(): void;
};

/**
 * makeAwsClientsFromEnv (aws-clients.ts) for a function that only talks to DynamoDB
 * (ingest-deductions, finance-api): its bundle then carries the DynamoDB client only, not S3, SQS and
 * SNS.
 */
export const makeDynamoDbClientsFromEnv = (env: NodeJS.ProcessEnv = process.env): DynamoDbClients => {
  const endpoint = endpointsFromEnv(env).dynamodb;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  const credentials =
    accessKeyId !== undefined && secretAccessKey !== undefined
      ? { accessKeyId, secretAccessKey }
      : localCredentials;
  const region = env.AWS_REGION ?? DEFAULT_REGION;
  const { ddb, ddbRaw } = makeDynamoDbClients(
    region,
    endpoint === undefined ? {} : { endpoint, credentials, ...localRetry },
  );
  return { ddb, ddbRaw, destroy: () => ddb.destroy() };
};
