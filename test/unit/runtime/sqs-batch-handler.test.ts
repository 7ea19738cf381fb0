import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  NotFoundError,
  PoisonMessageError,
  TransientError,
  ValidationError,
} from '#domain/errors.ts';
import {
  parseRecordBody,
  type SqsRecordHandler,
  sqsBatchHandler,
} from '#shared/runtime/sqs-batch-handler.ts';
import { ingestContext, makeSqsEvent } from '../ingest/sqs-event.ts';

/** A job naming a person (as a careless foreign error might echo it) and what to throw. */
const jobSchema = z.object({ pool: z.string(), throws: z.string().optional() });
type Job = z.infer<typeof jobSchema>;
const secretNik = '1504016502900007';

const thrown = (name: string | undefined): unknown => {
  switch (name) {
    case 'validation':
      return new ValidationError('the month is closed', { code: 'MONTH_CLOSED' });
    case 'not-found':
      return new NotFoundError('pool gone');
    case 'transient':
      return new TransientError('DynamoDB PutItem failed: ThrottlingException');
    case 'poison':
      return new PoisonMessageError('job names no pool', { code: 'POOL_UNKNOWN' });
    case 'foreign':
      return new TypeError(`cannot read nik ${secretNik}`);
    case 'subclass':
      return new (class ClosedMonthError extends ValidationError {})('closed');
    default:
      return undefined;
  }
};

const handler: SqsRecordHandler<Job> = {
  parse: (record) => parseRecordBody(record, jobSchema, 'test job'),
  process: async (job) => {
    const error = thrown(job.throws);
    if (error !== undefined) throw error;
  },
  errors: {
    what: 'test job',
    drop: [{ error: ValidationError, because: 'it breaks a rule' }],
    fields: (job) => ({ pool: job.pool }),
  },
};

const captureLogs = () => {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  }
  return () => lines.join('');
};

const job = (throws?: string) => JSON.stringify({ pool: '15.04', ...(throws ? { throws } : {}) });

afterEach(() => vi.restoreAllMocks());

describe('sqsBatchHandler error policy', () => {
  it('drops the declared domain errors (and their subclasses), fails the rest, record by record', async () => {
    const logs = captureLogs();
    const lambda = sqsBatchHandler(handler);

    const result = await lambda(
      makeSqsEvent([
        job(),
        job('validation'),
        job('transient'),
        job('not-found'),
        job('poison'),
        'not json',
        job('subclass'),
        job('foreign'),
      ]),
      ingestContext(),
    );

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'm2',
      'm3',
      'm4',
      'm5',
      'm7',
    ]);
    const out = logs();
    expect(out).toContain('test job dropped: it breaks a rule');
    expect(out).toContain('MONTH_CLOSED');
    expect(out).toContain('poison test job: retried, then moved to the DLQ');
    expect(out).toContain('test job failed; SQS will redeliver it');
  });

  it('logs each failure once, at the level its fate deserves, with safe fields only', async () => {
    const logs = captureLogs();
    const lambda = sqsBatchHandler(handler);
    const entries = async (body: string) => {
      const before = logs().length;
      await lambda(makeSqsEvent([body]), ingestContext());
      return logs()
        .slice(before)
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    };

    const dropped = await entries(job('validation'));
    const conflict = await entries(JSON.stringify({ pool: '15.04', throws: 'transient' }));
    const foreign = await entries(job('foreign'));
    const poison = await entries('{"pool": 7}');

    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({
      level: 'ERROR',
      pool: '15.04',
      code: 'MONTH_CLOSED',
      messageId: 'm0',
      receiveCount: '1',
      error: 'ValidationError: the month is closed',
    });
    expect(conflict.filter((e) => e.message === 'test job failed; SQS will redeliver it')).toHaveLength(1);
    expect(conflict[0]).toMatchObject({ level: 'WARN', code: 'TRANSIENT' });
    // A foreign error's message may echo personal data: only its name and where it was thrown.
    expect(foreign[0]).toMatchObject({ level: 'WARN', error: 'TypeError' });
    expect(String(foreign[0]?.at)).toContain('sqs-batch-handler.test.ts');
    expect(JSON.stringify(foreign)).not.toContain(secretNik);
    // The body did not parse: no body fields, the zod path and code only.
    expect(poison[0]).toMatchObject({ level: 'ERROR', code: 'SCHEMA' });
    expect(poison[0]).not.toHaveProperty('pool');
    expect(String(poison[0]?.error)).toContain('pool:invalid_type');
  });

  it('a policy without drop rules retries even a refusal', async () => {
    captureLogs();
    const strict = sqsBatchHandler({ ...handler, errors: { what: 'test job' } });

    const result = await strict(makeSqsEvent([job('validation'), job()]), ingestContext());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
  });

  it('resolves with every id when every record of the batch fails (no FullBatchFailureError)', async () => {
    captureLogs();
    const lambda = sqsBatchHandler<Job>({
      ...handler,
      process: async () => {
        throw new ConflictError('lost the race');
      },
    });

    const result = await lambda(makeSqsEvent([job(), job()]), ingestContext());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }]);
  });
});
