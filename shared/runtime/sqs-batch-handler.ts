import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, PoisonMessageError } from '#domain/errors.ts';
import { logger, metrics, observability } from './powertools.ts';

/** Fields safe to log: codes, counts, pools, dates, ids. Never a NIP, NIK, KPJ or name. */
export type SafeLogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** A domain error class (matched with `instanceof`, so subclasses match too). */
// biome-ignore lint/suspicious/noExplicitAny: a class of any constructor shape.
export type DomainErrorClass = abstract new (...args: any[]) => DomainError;

/** A domain error that can never succeed however often SQS redelivers it: logged once, then deleted. */
export type DropRule = {
  readonly error: DomainErrorClass;
  /** Why retrying cannot help, for the log line (e.g. "the month is closed or the job breaks a rule"). */
  readonly because: string;
};

/**
 * How one queue's failures are handled, declared once per function instead of a try/catch in each:
 * - an error matching a `drop` rule (a domain refusal, e.g. a closed month): logged at ERROR once and
 *   the record reported as processed, so SQS deletes it (no retries, no DLQ);
 * - a {@link PoisonMessageError} (a body that is not the expected JSON, a chunk naming no pool): logged
 *   at ERROR, counted (`PoisonMessages`) and failed, so SQS retries it up to the queue's maxReceiveCount
 *   and then moves it to the DLQ, where an alarm fires (infra/resources.ts);
 * - anything else (throttling, a lost conditional write, a crash): logged at WARN and failed, so SQS
 *   redelivers it after the visibility timeout.
 * Every line carries the message id, receive count, the error's name and code; the message of our own
 * domain errors (written without personal data) but never the message of a foreign error, which may
 * echo an item key holding a NIK (its first stack frame instead). `fields` adds safe fields of the
 * parsed body (pool, month, date).
 */
export type SqsErrorPolicy<B> = {
  /** What a record is, in the log lines: "allocation job", "deduction chunk". */
  readonly what: string;
  readonly drop?: readonly DropRule[];
  readonly fields?: (body: B) => SafeLogFields;
};

/** One queue's records: how a body is read (zod; throws PoisonMessageError), what is done, how errors go. */
export type SqsRecordHandler<B> = {
  readonly parse: (record: SQSRecord) => B;
  readonly process: (body: B, record: SQSRecord) => Promise<void>;
  readonly errors: SqsErrorPolicy<B>;
};

/** The log line of a failed record: identifiers, codes and our own message only (see SqsErrorPolicy). */
const errorFields = (record: SQSRecord, error: unknown): SafeLogFields => ({
  messageId: record.messageId,
  receiveCount: record.attributes.ApproximateReceiveCount,
  code: error instanceof DomainError ? error.code : undefined,
  error:
    error instanceof DomainError
      ? `${error.name}: ${error.message}`
      : error instanceof Error
        ? error.name
        : typeof error,
  // Where a foreign error was thrown (its first stack frame), since its message is not logged.
  at:
    error instanceof Error && !(error instanceof DomainError)
      ? error.stack?.split('\n')[1]?.trim()
      : undefined,
});

/** `handler`'s per-record function with the error policy applied: drops resolve, all else rethrows. */
export const withErrorPolicy =
  <B>(handler: SqsRecordHandler<B>) =>
  async (record: SQSRecord): Promise<void> => {
    const { what, drop = [], fields } = handler.errors;
    let body: B | undefined;
    try {
      body = handler.parse(record);
      await handler.process(body, record);
    } catch (error) {
      // The one place a record's failure is logged.
      const context = {
        ...(body === undefined || !fields ? {} : fields(body)),
        ...errorFields(record, error),
      };
      const rule = drop.find((r) => error instanceof r.error);
      if (rule) {
        logger.error(`${what} dropped: ${rule.because}`, context);
        return;
      }
      if (error instanceof PoisonMessageError) {
        metrics.addMetric('PoisonMessages', MetricUnit.Count, 1);
        logger.error(`poison ${what}: retried, then moved to the DLQ`, context);
      } else {
        logger.warn(`${what} failed; SQS will redeliver it`, context);
      }
      throw error;
    }
  };

/**
 * Every queue-driven function's Lambda shape: each SQS record parsed and processed under the queue's
 * error policy, failures reported per record (partial batch response, so one bad record never
 * redelivers its neighbours), with the observability middlewares. A processor per invocation: it holds
 * the batch's state. Resolves with the failed message ids; never rejects for a failed record.
 */
export const sqsBatchHandler = <B>(handler: SqsRecordHandler<B>) => {
  const processRecord = withErrorPolicy(handler);
  return middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      }),
  ).use(observability());
};

/**
 * A record body that is not JSON of the expected shape never becomes valid: poison (retried by SQS,
 * then in the DLQ). The error names paths and zod codes only, never the offending values (PII).
 */
export function parseRecordBody<S extends z.ZodType>(
  record: SQSRecord,
  schema: S,
  what: string,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    throw new PoisonMessageError(`${what}: body is not JSON`, { code: 'SCHEMA' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', ');
    throw new PoisonMessageError(`${what}: body does not match (${where})`, { code: 'SCHEMA' });
  }
  return parsed.data;
}
