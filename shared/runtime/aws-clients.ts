import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_REGION } from '#shared/config/operations.ts';
import { recordAwsCalls } from './aws-call-log.ts';
import {
  type AwsCredentials,
  type AwsEndpoints,
  endpointsFromEnv,
  fixedEndpoint,
  localCredentials,
  localRetry,
  makeDynamoDbClients,
} from './dynamodb-clients.ts';
import { cacheUntilStackChanges } from './middleware-cache.ts';

// The DynamoDB-only half lives in dynamodb-clients.ts, so a function or command that needs nothing
// else loads no S3, SQS or SNS client; these names stay importable from here.
export {
  type AwsCredentials,
  type AwsEndpoints,
  endpointEnvVars,
  endpointsFromEnv,
  localCredentials,
  makeDynamoDbClientsFromEnv,
} from './dynamodb-clients.ts';

export type AwsClientOptions = {
  /** Emulator endpoints; a service without one talks to real AWS through the default chain. */
  readonly endpoints?: AwsEndpoints;
  readonly region?: string;
  /** Used for every client talking to an emulator; ignored for services without an endpoint. */
  readonly credentials?: AwsCredentials;
  /** Overrides `credentials` for S3 only (s3rver knows only the access key it was told about). */
  readonly s3Credentials?: AwsCredentials;
};

export type AwsClients = {
  readonly ddb: DynamoDBDocumentClient;
  readonly ddbRaw: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  /** Closes keep-alive sockets so emulators can shut down without waiting for idle connections. */
  destroy(): void;
};

export const s3rverCredentials: AwsCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

type Resolved = {
  readonly region: string;
  local(endpoint: string | undefined, creds?: AwsCredentials): object;
  /** `local`, with the emulator's address taken as given ({@link fixedEndpoint}; not for S3). */
  fixed(endpoint: string | undefined): object;
};

const resolve = (opts: AwsClientOptions): Resolved => {
  const region = opts.region ?? process.env.AWS_REGION ?? DEFAULT_REGION;
  const credentials = opts.credentials ?? localCredentials;
  return {
    region,
    local: (endpoint, creds = credentials) =>
      endpoint === undefined ? {} : { endpoint, credentials: creds, ...localRetry },
    fixed: (endpoint) =>
      endpoint === undefined ? {} : { credentials, ...localRetry, ...fixedEndpoint(endpoint) },
  };
};

// SQS, SNS and S3 commands carry no per-call middleware, so the resolved middleware chain can be
// reused per command class instead of rebuilt on every send (the document client cannot: its
// commands add marshalling middleware per instance, and it refuses this option).
const cacheMiddleware = true;

/**
 * No logger is ever configured, yet the SDK's logger middleware still walks every input and output
 * through its sensitive-data filter for the no-op logger (a full pass over each Query page). The
 * client's cached middleware chains are forgotten whenever its stack changes (a meter added later).
 */
const withoutLogger = <C extends SQSClient | SNSClient | S3Client>(client: C): C => {
  client.middlewareStack.remove('loggerMiddleware');
  return cacheUntilStackChanges(client);
};

/**
 * The SQS client of {@link makeAwsClients}, alone (so is each of the next two): a function that builds
 * only the clients it calls bundles only those (the make*ClientFromEnv helpers below).
 */
export const makeSqsClient = (opts: AwsClientOptions = {}): SQSClient => {
  const { region, fixed } = resolve(opts);
  const endpoint = opts.endpoints?.sqs;
  // fauxqs queue URLs use host sqs.<region>.localhost; an explicit endpoint keeps the SDK from
  // sending requests to that host instead of the emulator.
  const sqs = withoutLogger(
    new SQSClient({
      region,
      cacheMiddleware,
      ...fixed(endpoint),
      ...(endpoint === undefined ? {} : { useQueueUrlAsEndpoint: false }),
    }),
  );
  // Only with SERTAKAN_AWS_CALL_LOG set (the bundle test): which calls each function really makes.
  recordAwsCalls({ sqs });
  return sqs;
};

export const makeSnsClient = (opts: AwsClientOptions = {}): SNSClient => {
  const { region, fixed } = resolve(opts);
  const sns = withoutLogger(new SNSClient({ region, cacheMiddleware, ...fixed(opts.endpoints?.sns) }));
  recordAwsCalls({ sns });
  return sns;
};

export const makeS3Client = (opts: AwsClientOptions = {}): S3Client => {
  const { region, local } = resolve(opts);
  const endpoint = opts.endpoints?.s3;
  const s3 = withoutLogger(
    new S3Client({
      region,
      cacheMiddleware,
      ...(endpoint === undefined
        ? {}
        : {
            ...local(endpoint, opts.s3Credentials ?? s3rverCredentials),
            // s3rver serves path-style only on 127.0.0.1, and stores streamed bodies with the SDK's
            // default trailing checksums as corrupted (aws-chunked framing kept in the object).
            forcePathStyle: true,
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          }),
    }),
  );
  if (endpoint !== undefined) emulateGetIfMatch(s3);
  recordAwsCalls({ s3 });
  return s3;
};

/**
 * One set of SDK v3 clients. With no endpoints these are plain AWS clients (what Lambda uses); with
 * endpoints they carry the settings the local emulators need and never touch the default credential
 * chain (so nothing probes the EC2 metadata address).
 */
export const makeAwsClients = (opts: AwsClientOptions = {}): AwsClients => {
  const { region, local } = resolve(opts);
  const { ddb, ddbRaw } = makeDynamoDbClients(region, local(opts.endpoints?.dynamodb));
  const sqs = makeSqsClient(opts);
  const sns = makeSnsClient(opts);
  const s3 = makeS3Client(opts);
  return {
    ddb,
    ddbRaw,
    sqs,
    sns,
    s3,
    destroy: () => {
      for (const client of [ddb, ddbRaw, sqs, sns, s3]) client.destroy();
    },
  };
};

/** The client options a handler module's environment gives (see {@link makeAwsClientsFromEnv}). */
const optionsFromEnv = (env: NodeJS.ProcessEnv): AwsClientOptions => {
  const endpoints = endpointsFromEnv(env);
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  const credentials =
    accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey } : undefined;
  return {
    endpoints,
    ...(env.AWS_REGION === undefined ? {} : { region: env.AWS_REGION }),
    ...(credentials === undefined ? {} : { credentials }),
  };
};

/**
 * Clients for a handler module: real AWS in Lambda, the emulators when the local cloud's env vars
 * (AWS_ENDPOINT_URL_*) are present. Credentials for emulators come from the env so the AWS CLI and
 * this code agree. A function that calls only some services builds those alone, with
 * makeDynamoDbClientsFromEnv and the three below, and its bundle carries no other client.
 */
export const makeAwsClientsFromEnv = (env: NodeJS.ProcessEnv = process.env): AwsClients =>
  makeAwsClients(optionsFromEnv(env));

export const makeSqsClientFromEnv = (env: NodeJS.ProcessEnv = process.env): SQSClient =>
  makeSqsClient(optionsFromEnv(env));

export const makeSnsClientFromEnv = (env: NodeJS.ProcessEnv = process.env): SNSClient =>
  makeSnsClient(optionsFromEnv(env));

export const makeS3ClientFromEnv = (env: NodeJS.ProcessEnv = process.env): S3Client =>
  makeS3Client(optionsFromEnv(env));

/**
 * AWS S3 answers a GetObject whose If-Match no longer matches with 412 PreconditionFailed; s3rver
 * ignores If-Match on GET. Against the emulator only, compare the ETag of the object it returned with
 * the one asked for (and drop the body unread) so code that pins a read to a version behaves locally
 * as it does on AWS, without a second request.
 */
function emulateGetIfMatch(s3: S3Client): void {
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { IfMatch?: string };
      const result = await next(args);
      if (context.commandName !== 'GetObjectCommand' || input.IfMatch === undefined) return result;
      const output = result.output as { ETag?: string; Body?: { destroy?: () => void } };
      if (output.ETag !== input.IfMatch) {
        output.Body?.destroy?.();
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $fault: 'client',
          $metadata: { httpStatusCode: 412 },
        });
      }
      return result;
    },
    { step: 'initialize', name: 'localIfMatchEmulation' },
  );
}
