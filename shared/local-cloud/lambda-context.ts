import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export type LambdaContextSpec = {
  readonly functionName: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly region: string;
};

const unsupported = (): never => {
  throw new Error('context.done/fail/succeed are not supported: return or throw from the async handler');
};

/** A Lambda context like the Node.js runtime passes, one per invocation. */
export const makeLambdaContext = (spec: LambdaContextSpec): Context => {
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${spec.region}:000000000000:function:${spec.functionName}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${spec.functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};
