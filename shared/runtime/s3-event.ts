/**
 * S3 object-created notifications as they arrive through SQS (infra/resources.ts: intake bucket ->
 * payroll-files / worker-files / grant-files queues), and the one SQS handler shape the three intake
 * functions share.
 *
 * An SQS body is either an S3 event `{ Records: [...] }` or, once when the notification is set up,
 * `{ Service: 'Amazon S3', Event: 's3:TestEvent', ... }`, which is ignored. Keys arrive URL-encoded like
 * a form value: `+` is a space, everything else percent-encoded. A body that is neither is a poison
 * message (retried, then in the DLQ with an alarm).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { NotFoundError, PoisonMessageError } from '#domain/errors.ts';
import type { IntakeOutcomeMessage, IntakeOutcomePublisher } from '#domain/ports/intake-outcomes.ts';
import type { ObjectRef } from '#domain/ports/object-store.ts';
import { logger, metrics } from './powertools.ts';
import { type SqsErrorPolicy, sqsBatchHandler } from './sqs-batch-handler.ts';

const testEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

export const s3NotificationSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      eventTime: z.string().optional(),
      s3: z.object({
        bucket: z.object({ name: z.string().min(1) }),
        object: z.object({
          key: z.string().min(1),
          size: z.number().optional(),
          eTag: z.string().optional(),
          sequencer: z.string().optional(),
        }),
      }),
    }),
  ),
});

/** `incoming/payroll/15.04/2026-01/Dinas+Kesehatan%281%29.csv` -> `.../Dinas Kesehatan(1).csv`. */
export function decodeS3EventKey(key: string): string {
  try {
    return decodeURIComponent(key.replaceAll('+', ' '));
  } catch (cause) {
    throw new PoisonMessageError('S3 event key is not valid URL encoding', { code: 'SCHEMA', cause });
  }
}

/** The created objects named by one SQS body; [] for the S3 test event and non-create events. */
export function parseS3Notification(body: string): ObjectRef[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PoisonMessageError('body is not JSON', { code: 'SCHEMA' });
  }
  if (testEventSchema.safeParse(json).success) return [];
  const parsed = s3NotificationSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', ');
    throw new PoisonMessageError(`body is not an S3 notification (${where})`, { code: 'SCHEMA' });
  }
  return parsed.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3EventKey(r.s3.object.key),
    // One PUT's sequencer: a redelivered event has the same, a new upload of the same bytes another.
    ...(r.s3.object.sequencer === undefined ? {} : { upload: r.s3.object.sequencer }),
  }));
}

/**
 * What the handlers log, count and announce: codes, counts and totals, never NIP/NIK/names (the
 * announced message adds the object's key and the report's s3:// location).
 */
export type FileOutcomeSummary = Omit<IntakeOutcomeMessage, 'key' | 'report' | 'pending' | 'decision'> & {
  readonly reportKey: string;
  readonly pending?: IntakeOutcomeMessage['pending'] & { readonly diffKey?: string };
  readonly decision?: IntakeOutcomeMessage['decision'];
};

/** The optional parts of an outcome the message carries (masked already: no NIP, NIK or name in clear). */
function messageDetails(o: FileOutcomeSummary): Partial<IntakeOutcomeMessage> {
  const p = o.pending;
  return {
    ...(o.duplicateOf === undefined ? {} : { duplicateOf: o.duplicateOf }),
    ...(o.firstReceivedAt === undefined ? {} : { firstReceivedAt: o.firstReceivedAt }),
    ...(o.mode === undefined ? {} : { mode: o.mode }),
    ...(o.late === undefined ? {} : { late: o.late }),
    ...(o.delta === undefined ? {} : { delta: o.delta }),
    ...(o.monthTotal === undefined ? {} : { monthTotal: o.monthTotal }),
    ...(o.decision === undefined ? {} : { decision: o.decision }),
    ...(p === undefined
      ? {}
      : {
          pending: {
            removedRows: p.removedRows,
            loweredRows: p.loweredRows,
            addedRows: p.addedRows,
            raisedRows: p.raisedRows,
            takenAway: p.takenAway,
            delta: p.delta,
            expiresAt: p.expiresAt,
            lines: p.lines,
          },
        }),
  };
}

/** Where outcomes are announced, and the bucket their reports are in (for the link in the message). */
export type OutcomeAnnouncer = { readonly publisher: IntakeOutcomePublisher; readonly reportsBucket: string };

/** An intake use case's deps plus, optionally, the publisher of its outcomes. */
export type WithOutcomes<D extends { readonly reportsBucket: string }> = D & {
  readonly outcomes?: IntakeOutcomePublisher;
};

export const announcerOf = (
  deps: WithOutcomes<{ readonly reportsBucket: string }>,
): OutcomeAnnouncer | undefined =>
  deps.outcomes === undefined ? undefined : { publisher: deps.outcomes, reportsBucket: deps.reportsBucket };

export type ProcessFile<O extends FileOutcomeSummary> = (ref: ObjectRef) => Promise<O>;

const processObjects =
  <O extends FileOutcomeSummary>(process: ProcessFile<O>, outcomes?: OutcomeAnnouncer) =>
  async (refs: readonly ObjectRef[], record: SQSRecord): Promise<void> => {
    for (const ref of refs) {
      let outcome: O;
      try {
        outcome = await process(ref);
      } catch (error) {
        // Deleted before we got to it: nothing to do for this object, and retrying cannot help; the
        // record's other objects still go through (so this is not a record-level drop rule).
        if (error instanceof NotFoundError) {
          logger.warn('intake object no longer exists; skipped', { messageId: record.messageId });
          continue;
        }
        throw error;
      }
      metrics.addMetric('FilesReceived', MetricUnit.Count, 1);
      metrics.addMetric('RowsAccepted', MetricUnit.Count, outcome.counts.acceptedRows);
      metrics.addMetric('RowsRejected', MetricUnit.Count, outcome.counts.rejectedRows);
      const { fileId, kind, status, pool, period, agency, counts, amounts, rejectReason, reportKey } =
        outcome;
      logger.info('intake file processed', {
        fileId,
        kind,
        status,
        pool,
        period,
        agency,
        counts,
        amounts,
        rejectReason,
        reportKey,
      });
      // The sender learns the outcome (at least once: a failed publish retries the file, which
      // comes back DUPLICATE and is announced again).
      await outcomes?.publisher.publish({
        fileId,
        kind,
        status,
        pool,
        ...(period === undefined ? {} : { period }),
        ...(agency === undefined ? {} : { agency }),
        key: ref.key,
        counts,
        amounts,
        ...(rejectReason === undefined ? {} : { rejectReason }),
        report: `s3://${outcomes.reportsBucket}/${reportKey}`,
        ...messageDetails(outcome),
      });
    }
  };

/**
 * Intake messages: a body that is not an S3 notification is poison (retried, then in the DLQ); every
 * other failure (a throttled read, a lost write) is retried. Nothing is dropped at the record level.
 */
export const intakeMessageErrors: SqsErrorPolicy<readonly ObjectRef[]> = {
  what: 'intake message',
  fields: (refs) => ({ objects: refs.length }),
};

/**
 * SQS event of S3 notifications -> one use-case call per created object, each outcome published to
 * `outcomes` (the intake-outcomes topic) when given; failures reported per record.
 */
export const makeS3FileHandler = <O extends FileOutcomeSummary>(
  process: ProcessFile<O>,
  outcomes?: OutcomeAnnouncer,
) =>
  sqsBatchHandler({
    parse: (record) => parseS3Notification(record.body),
    process: processObjects(process, outcomes),
    errors: intakeMessageErrors,
  });
