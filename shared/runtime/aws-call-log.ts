import { appendFileSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Records every AWS API call a process makes (service, operation, the resources named in the input),
 * one JSON line per call, when `SERTAKAN_AWS_CALL_LOG` names a file. Off (no middleware at all) unless
 * that variable is set, so on Lambda nothing changes. The bundle test sets it for each synthesized
 * function and compares the calls with what the function's role grants (test/e2e/bundles).
 */
export const AWS_CALL_LOG_ENV = 'SERTAKAN_AWS_CALL_LOG';

export type AwsCall = {
  /** SDK client name without `Client`: DynamoDB, S3, SQS, SNS. */
  readonly service: string;
  /** SDK command name without `Command`: PutItem, GetObject, SendMessageBatch ... */
  readonly operation: string;
  /** The input fields that name a resource, as sent. */
  readonly input: {
    readonly TableName?: string;
    readonly IndexName?: string;
    readonly RequestItems?: readonly string[];
    readonly Bucket?: string;
    readonly Key?: string;
    readonly Prefix?: string;
    readonly QueueUrl?: string;
    readonly TopicArn?: string;
  };
};

const RESOURCE_FIELDS = [
  'TableName',
  'IndexName',
  'Bucket',
  'Key',
  'Prefix',
  'QueueUrl',
  'TopicArn',
] as const;

const resourcesOf = (input: unknown): AwsCall['input'] => {
  if (typeof input !== 'object' || input === null) return {};
  const fields = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of RESOURCE_FIELDS) if (typeof fields[name] === 'string') out[name] = fields[name];
  const items = fields.RequestItems;
  if (typeof items === 'object' && items !== null) out.RequestItems = Object.keys(items);
  return out;
};

type CallContext = { readonly clientName?: string; readonly commandName?: string };

const callOf = (context: CallContext, input: unknown): AwsCall => ({
  service: (context.clientName ?? '').replace(/Client$/, ''),
  operation: (context.commandName ?? '').replace(/Command$/, ''),
  input: resourcesOf(input),
});

/** Adds the recording middleware to each client when the env asks for it; a no-op otherwise. */
export const recordAwsCalls = (
  clients: { ddb?: DynamoDBClient; sqs?: SQSClient; sns?: SNSClient; s3?: S3Client },
  env: NodeJS.ProcessEnv = process.env,
): void => {
  const file = env[AWS_CALL_LOG_ENV];
  if (file === undefined || file === '') return;
  const record = (context: CallContext, input: unknown): void =>
    appendFileSync(file, `${JSON.stringify(callOf(context, input))}\n`);
  const at = { step: 'initialize', name: 'sertakanAwsCallLog' } as const;
  // One line per client: each SDK client types its middleware by its own input and output unions.
  clients.ddb?.middlewareStack.add(
    (next, context) => (args) => {
      record(context, args.input);
      return next(args);
    },
    at,
  );
  clients.sqs?.middlewareStack.add(
    (next, context) => (args) => {
      record(context, args.input);
      return next(args);
    },
    at,
  );
  clients.sns?.middlewareStack.add(
    (next, context) => (args) => {
      record(context, args.input);
      return next(args);
    },
    at,
  );
  clients.s3?.middlewareStack.add(
    (next, context) => (args) => {
      record(context, args.input);
      return next(args);
    },
    at,
  );
};
