/**
 * Billed units, counted on the wire: client middlewares on the clients every handler uses (the local
 * cloud's), attributing each request to the benchmark phase running at the time. Phases run one after
 * another (each ends with a drain), so one "current phase" is enough.
 *
 * DynamoDB: every request gets ReturnConsumedCapacity TOTAL (unless the adapter asked for INDEXES) and
 * its ConsumedCapacity is summed. A failed conditional write returns no ConsumedCapacity but AWS bills
 * it by item size: it is estimated from the item (≥ 1 WCU) and counted apart so the estimate is visible.
 */
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '#shared/runtime/aws-clients.ts';

export type DdbUnits = {
  wcu: number;
  rcu: number;
  /** Failed conditional writes, billed by item size but reported by nobody: estimated. */
  conditionFailures: number;
  estimatedWcu: number;
  /** Items whose input carried no capacity in the response (should stay 0). */
  unmetered: number;
  requests: Record<string, number>;
  /** Approximate bytes of items put (storage growth). */
  bytesPut: number;
};

export type PhaseUsage = {
  ddb: DdbUnits;
  sqs: Record<string, number>;
  /** Receives that returned no message: idle polling, a function of wall time, not of work. */
  sqsEmptyReceives: number;
  s3: Record<string, number>;
  sns: Record<string, number>;
  lambda: Record<string, { invocations: number; ms: number; records: number; gbSeconds: number }>;
  logBytes: number;
};

const emptyUsage = (): PhaseUsage => ({
  ddb: {
    wcu: 0,
    rcu: 0,
    conditionFailures: 0,
    estimatedWcu: 0,
    unmetered: 0,
    requests: {},
    bytesPut: 0,
  },
  sqs: {},
  sqsEmptyReceives: 0,
  s3: {},
  sns: {},
  lambda: {},
  logBytes: 0,
});

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const bump = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};
/** 'PutCommand' (document client) and 'PutItemCommand' (raw) both become 'PutItem'. */
const DOC_TO_API: Record<string, string> = {
  Put: 'PutItem',
  Get: 'GetItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchWrite: 'BatchWriteItem',
  BatchGet: 'BatchGetItem',
  TransactWrite: 'TransactWriteItems',
  TransactGet: 'TransactGetItems',
};
const apiName = (commandName: unknown): string => {
  const bare = String(commandName ?? 'Unknown').replace(/Command$/, '');
  return DOC_TO_API[bare] ?? bare;
};

type Item = Record<string, unknown>;
const itemBytes = (item: unknown): number => Buffer.byteLength(JSON.stringify(item ?? {}));

/** Items a write request puts (for storage growth), whatever its shape. */
const putItems = (api: string, input: Record<string, unknown>): Item[] => {
  if (api === 'PutItem') return [input.Item as Item];
  if (api === 'BatchWriteItem') {
    const req = (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: Item } }[]>;
    return Object.values(req).flatMap((rs) =>
      rs.flatMap((r) => (r.PutRequest?.Item ? [r.PutRequest.Item] : [])),
    );
  }
  return [];
};

export class UsageMeter {
  readonly phases = new Map<string, PhaseUsage>();
  #phase = 'setup';
  readonly #bytesPut: boolean;

  /** `bytesPut: false` leaves `ddb.bytesPut` at 0 instead of sizing every item put (default true). */
  constructor(opts: { readonly bytesPut?: boolean } = {}) {
    this.#bytesPut = opts.bytesPut ?? true;
  }

  get phase(): string {
    return this.#phase;
  }

  /** Starts attributing usage to `name` (usage of the same name adds up). */
  enter(name: string): void {
    this.#phase = name;
  }

  usage(name: string = this.#phase): PhaseUsage {
    let u = this.phases.get(name);
    if (!u) {
      u = emptyUsage();
      this.phases.set(name, u);
    }
    return u;
  }

  recordInvocation(fn: string, ms: number, records: number, memoryMb: number): void {
    const l = this.usage().lambda;
    const entry = l[fn] ?? { invocations: 0, ms: 0, records: 0, gbSeconds: 0 };
    entry.invocations++;
    entry.ms += ms;
    entry.records += records;
    // Lambda bills duration rounded up to the millisecond, times configured memory.
    entry.gbSeconds += (Math.ceil(ms) / 1000) * (memoryMb / 1024);
    l[fn] = entry;
  }

  /** Installs the counting middlewares on every client of the local cloud. */
  attach(clients: AwsClients): void {
    // The document client shares the raw client's middleware stack: one middleware sees both.
    clients.ddbRaw.middlewareStack.add(
      (next, context) => async (args) => {
        const api = apiName(context.commandName);
        const input = args.input as Record<string, unknown>;
        if (input.ReturnConsumedCapacity === undefined || input.ReturnConsumedCapacity === 'NONE') {
          input.ReturnConsumedCapacity = 'TOTAL';
        }
        const u = this.usage().ddb;
        bump(u.requests, api);
        if (this.#bytesPut) for (const item of putItems(api, input)) u.bytesPut += itemBytes(item);
        try {
          const out = await next(args);
          const consumed = (out.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
            .ConsumedCapacity;
          if (consumed === undefined) {
            u.unmetered++;
            return out;
          }
          const units = (Array.isArray(consumed) ? consumed : [consumed]).reduce(
            (s, c) => s + (c.CapacityUnits ?? 0),
            0,
          );
          if (READS.has(api)) u.rcu += units;
          else u.wcu += units;
          return out;
        } catch (err) {
          if (err instanceof Error && err.name === 'ConditionalCheckFailedException') {
            const est = Math.max(1, Math.ceil(itemBytes(input.Item ?? input.Key) / 1024));
            u.conditionFailures++;
            u.estimatedWcu += est;
            u.wcu += est;
          }
          throw err;
        }
      },
      { step: 'initialize', name: 'benchCapacityMeter' },
    );
    clients.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        const api = apiName(context.commandName);
        const out = await next(args);
        // GetQueueAttributes comes only from the local drain loop: nothing on AWS makes it.
        if (api !== 'GetQueueAttributes') {
          const u = this.usage();
          bump(u.sqs, api);
          const messages = (out.output as { Messages?: unknown[] }).Messages;
          if (api === 'ReceiveMessage' && (messages?.length ?? 0) === 0) u.sqsEmptyReceives++;
        }
        return out;
      },
      { step: 'initialize', name: 'benchSqsCounter' },
    );
    clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        bump(this.usage().s3, apiName(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'benchS3Counter' },
    );
    clients.sns.middlewareStack.add(
      (next, context) => async (args) => {
        bump(this.usage().sns, apiName(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'benchSnsCounter' },
    );
  }
}

/** Sums usage over phases (e.g. the whole month). */
export const sumUsage = (parts: readonly PhaseUsage[]): PhaseUsage => {
  const total = emptyUsage();
  const addCounts = (to: Record<string, number>, from: Record<string, number>) => {
    for (const [k, v] of Object.entries(from)) bump(to, k, v);
  };
  for (const p of parts) {
    total.ddb.wcu += p.ddb.wcu;
    total.ddb.rcu += p.ddb.rcu;
    total.ddb.conditionFailures += p.ddb.conditionFailures;
    total.ddb.estimatedWcu += p.ddb.estimatedWcu;
    total.ddb.unmetered += p.ddb.unmetered;
    total.ddb.bytesPut += p.ddb.bytesPut;
    addCounts(total.ddb.requests, p.ddb.requests);
    addCounts(total.sqs, p.sqs);
    addCounts(total.s3, p.s3);
    addCounts(total.sns, p.sns);
    total.sqsEmptyReceives += p.sqsEmptyReceives;
    total.logBytes += p.logBytes;
    for (const [fn, l] of Object.entries(p.lambda)) {
      const t = total.lambda[fn] ?? { invocations: 0, ms: 0, records: 0, gbSeconds: 0 };
      t.invocations += l.invocations;
      t.ms += l.ms;
      t.records += l.records;
      t.gbSeconds += l.gbSeconds;
      total.lambda[fn] = t;
    }
  }
  return total;
};

export const countOf = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((s, n) => s + n, 0);

export const lambdaTotals = (u: PhaseUsage) =>
  Object.values(u.lambda).reduce(
    (t, l) => ({
      invocations: t.invocations + l.invocations,
      ms: t.ms + l.ms,
      gbSeconds: t.gbSeconds + l.gbSeconds,
    }),
    { invocations: 0, ms: 0, gbSeconds: 0 },
  );
