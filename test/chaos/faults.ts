/**
 * Fault injection from the outside of the production code: the handlers get AWS clients whose `send`
 * is wrapped, and each invocation runs inside an AsyncLocalStorage context that says whether, and at
 * which write, it crashes.
 *
 * - crash: an invocation (chosen with the scenario's probability, at most once per SQS message id, so
 *   the redelivery succeeds) throws at its k-th write (DynamoDB put/update/delete/batch write, SQS
 *   send, S3 put), before the write or just after it succeeded. The poller then redelivers the records.
 * - duplicates: every SQS message a handler sends goes out 1-3 times, the copies a few milliseconds
 *   later (so they overtake and trail other messages: out of order).
 * - lost responses: a conditional DynamoDB write is applied, its answer is lost, and the SDK's retry of
 *   the same request fails its condition: the caller sees ConditionalCheckFailed for its own write.
 * - doomed jobs: an allocation-jobs message fails every receive (a timeout, an S3 outage) and ends in
 *   the DLQ; its body is recorded so the DLQ check expects it.
 * - throttling bursts: a run of DynamoDB calls on one coverage partition answered ThrottlingException.
 * - operator aborts (simulate.ts): `sertakan abort-run` on a month's run while its walkers are in
 *   flight, with the operator's clock 25 minutes ahead so a moving run can look idle.
 * The known window of scan-lapses (SNS accepted the digest, the DIGEST record not yet written) is not
 * crashed: after a publish, the invocation is left alone (documented in shared/use-cases/scan-lapses.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import type { Rng } from '#shared/demo/prng.ts';
import type { SqsHandler } from '#shared/local-cloud/sqs-poller.ts';
import type { AwsClients } from '#shared/runtime/aws-clients.ts';

export class InjectedCrashError extends Error {
  override readonly name = 'InjectedCrashError';
}

type Invocation = {
  readonly fn: string;
  readonly crashAt: number | undefined;
  readonly afterWrite: boolean;
  readonly messageIds: readonly string[];
  writes: number;
  published: boolean;
};

const WRITES = new Set([
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchWriteCommand',
  'TransactWriteCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'SendMessageCommand',
  'SendMessageBatchCommand',
  'PutObjectCommand',
  'CreateMultipartUploadCommand',
  'UploadPartCommand',
  'CompleteMultipartUploadCommand',
]);

export type FaultOptions = {
  /** Functions (keys of infra/resources.ts `functions`) whose conditional writes may lose their answer. */
  readonly lossyFunctions?: readonly string[];
  readonly lostResponseProbability?: number;
  readonly doomProbability?: number;
  readonly throttleProbability?: number;
};

type Sendable = { send(command: unknown, ...rest: unknown[]): Promise<unknown> };

export type FaultCounts = {
  crashes: number;
  lostResponses: number;
  doomedJobs: number;
  throttled: number;
  sweeps: number;
  duplicateMessages: number;
  duplicateS3Events: number;
  scheduleRepeats: number;
  overlappingRuns: number;
  restarts: number;
  poison: number;
  /** Operator aborts tried on a month's running run (most are refused: the run is moving). */
  operatorAborts: number;
  /** Of those, aborts applied (the run looked idle to the operator's clock). */
  abortsApplied: number;
};

export class FaultInjector {
  readonly counts: FaultCounts = {
    crashes: 0,
    lostResponses: 0,
    doomedJobs: 0,
    throttled: 0,
    sweeps: 0,
    duplicateMessages: 0,
    duplicateS3Events: 0,
    scheduleRepeats: 0,
    overlappingRuns: 0,
    restarts: 0,
    poison: 0,
    operatorAborts: 0,
    abortsApplied: 0,
  };
  readonly #context = new AsyncLocalStorage<Invocation>();
  readonly #crashed = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #rng: Rng;
  readonly #crashProbability: number;
  /** SQS records handed to handlers (every delivery, redeliveries and copies included). */
  events = 0;
  /** Crashes are spread over the run; a budget keeps one seed from being nothing but crashes. */
  #budget = 25;
  /** Functions whose conditional writes may lose their answer, and the chance per write. */
  readonly #lossy: ReadonlySet<string>;
  readonly #lostProbability: number;
  #lostBudget = 12;
  /**
   * allocation-jobs messages that fail every receive, by body: a continuation is doomed with all its
   * copies (the injector's duplicates would otherwise carry the run on), so only the sweeper can save it.
   */
  readonly #doomed = new Set<string>();
  readonly #doomedIds = new Set<string>();
  readonly doomedBodies: string[] = [];
  #doomProbability: number;
  #doomBudget = 2;
  /** Calls left in the current throttling burst on a coverage partition. */
  #throttleLeft = 0;
  #throttleProbability: number;

  constructor(rng: Rng, crashProbability: number, opts: FaultOptions = {}) {
    this.#rng = rng;
    this.#crashProbability = crashProbability;
    this.#lossy = new Set(opts.lossyFunctions ?? ['allocatePool']);
    this.#lostProbability = opts.lostResponseProbability ?? 0.05;
    this.#doomProbability = opts.doomProbability ?? 0.08;
    this.#throttleProbability = opts.throttleProbability ?? 0.01;
  }

  /** Bodies of the messages that were doomed to the DLQ (the DLQ check expects exactly these). */
  expectedDlq(queue: string): { queue: string; body: string }[] {
    return this.doomedBodies.map((body) => ({ queue, body }));
  }

  get total(): number {
    return Object.values(this.counts).reduce((s, n) => s + n, 0);
  }

  /** Copies still waiting to be sent (the drain loop waits for them too). */
  pending(): number {
    return this.#pending.size;
  }

  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Runs `send` after `delayMs`, tracked like the message copies (settle waits for it). */
  later(delayMs: number, send: () => Promise<unknown>): void {
    const sending: Promise<unknown> = new Promise((resolve) => setTimeout(resolve, delayMs))
      .then(send)
      .catch(() => undefined)
      .finally(() => this.#pending.delete(sending));
    this.#pending.add(sending);
  }

  /** Runs `handler` as one invocation that may crash at a write point. */
  wrapHandler(fn: string, handler: SqsHandler): SqsHandler {
    return (event: SQSEvent, context) => {
      const ids = event.Records.map((r) => r.messageId);
      this.events += ids.length;
      if (fn === 'allocatePool') {
        // Only queue deliveries (the simulation's direct invocations are not SQS messages).
        const doom = event.Records.find(
          (r) =>
            r.receiptHandle !== 'overlap' &&
            (this.#doomedIds.has(r.messageId) ||
              (r.attributes.ApproximateReceiveCount === '1' &&
                (this.#doomed.has(r.body) ||
                  (this.#doomBudget > 0 &&
                    this.#rng.chance(this.#doomProbability) &&
                    this.#pickDoom(r.body))) &&
                this.#doomNow(r.messageId, r.body))),
        );
        if (doom)
          return Promise.reject(new InjectedCrashError(`${fn}: doomed job (fails every receive)`)) as never;
      }
      const eligible = this.#budget > 0 && ids.every((id) => !this.#crashed.has(id));
      const crash = eligible && this.#rng.chance(this.#crashProbability);
      const invocation: Invocation = {
        fn,
        crashAt: crash ? this.#rng.int(1, 6) : undefined,
        afterWrite: this.#rng.chance(0.5),
        messageIds: ids,
        writes: 0,
        published: false,
      };
      return this.#context.run(invocation, () => handler(event, context));
    };
  }

  #pickDoom(body: string): boolean {
    this.#doomBudget -= 1;
    this.#doomed.add(body);
    return true;
  }

  #doomNow(messageId: string, body: string): boolean {
    this.counts.doomedJobs += 1;
    this.#doomedIds.add(messageId);
    this.doomedBodies.push(body);
    return true;
  }

  /** The clients handed to the handlers: same emulators, faulty `send`. */
  wrapClients(clients: AwsClients): AwsClients {
    return {
      ...clients,
      ddb: this.#wrap(clients.ddb, 'ddb'),
      ddbRaw: this.#wrap(clients.ddbRaw, 'ddb'),
      sqs: this.#wrap(clients.sqs, 'sqs'),
      s3: this.#wrap(clients.s3, 's3'),
      sns: this.#wrap(clients.sns, 'sns'),
      destroy: clients.destroy,
    };
  }

  #wrap<T extends object>(client: T, service: 'ddb' | 'sqs' | 's3' | 'sns'): T {
    const target = client as unknown as Sendable;
    const send = (command: unknown, ...rest: unknown[]): Promise<unknown> => {
      const name = (command as { constructor: { name: string } }).constructor.name;
      const inv = this.#context.getStore();
      const call = () => this.#answer(inv, service, name, command, () => target.send(command, ...rest));
      if (service === 'sns' && name === 'PublishCommand' && inv) inv.published = true;
      if (inv === undefined || !WRITES.has(name)) return call();
      return this.#write(inv, call, service === 'sqs' ? () => this.#duplicate(target, command) : undefined);
    };
    return new Proxy(client, {
      get: (obj, prop) => (prop === 'send' ? send : Reflect.get(obj, prop, obj)),
    });
  }

  /** A throttling burst on a coverage partition, or a conditional write whose answer is lost. */
  async #answer(
    inv: Invocation | undefined,
    service: string,
    name: string,
    command: unknown,
    send: () => Promise<unknown>,
  ): Promise<unknown> {
    if (inv === undefined || service !== 'ddb') return send();
    const input = (
      command as { input?: { Key?: { pk?: unknown }; Item?: { pk?: unknown }; ConditionExpression?: string } }
    ).input;
    const pk = String(input?.Key?.pk ?? input?.Item?.pk ?? '');
    if (pk.startsWith('COVERAGE#')) {
      if (this.#throttleLeft === 0 && this.#rng.chance(this.#throttleProbability))
        this.#throttleLeft = this.#rng.int(3, 12);
      if (this.#throttleLeft > 0) {
        this.#throttleLeft -= 1;
        this.counts.throttled += 1;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
          name: 'ThrottlingException',
          $fault: 'client',
          $retryable: { throttling: true },
        });
      }
    }
    const conditional = (name === 'UpdateCommand' || name === 'PutCommand') && input?.ConditionExpression;
    if (
      !conditional ||
      !this.#lossy.has(inv.fn) ||
      this.#lostBudget <= 0 ||
      !this.#rng.chance(this.#lostProbability)
    )
      return send();
    this.#lostBudget -= 1;
    this.counts.lostResponses += 1;
    await send();
    // The SDK retries the request whose answer it never got: the write is already there.
    return send();
  }

  async #write(inv: Invocation, call: () => Promise<unknown>, duplicate?: () => void): Promise<unknown> {
    inv.writes += 1;
    const crashNow = inv.crashAt === inv.writes && !inv.published && this.#budget > 0;
    if (crashNow) {
      this.#budget -= 1;
      this.counts.crashes += 1;
      for (const id of inv.messageIds) this.#crashed.add(id);
      if (!inv.afterWrite) throw new InjectedCrashError(`${inv.fn}: crash before write ${inv.writes}`);
    }
    const out = await call();
    duplicate?.();
    if (crashNow) throw new InjectedCrashError(`${inv.fn}: crash after write ${inv.writes}`);
    return out;
  }

  /** 0-2 more copies of a sent message, a little later. */
  #duplicate(sqs: Sendable, command: unknown): void {
    const extra = this.#rng.int(0, 2);
    for (let i = 0; i < extra; i++) {
      const copy = copyOf(command, i);
      if (copy === undefined) return;
      this.counts.duplicateMessages += 1;
      this.later(this.#rng.int(0, 40), () => sqs.send(copy));
    }
  }
}

const copyOf = (command: unknown, n: number): SendMessageCommand | SendMessageBatchCommand | undefined => {
  if (command instanceof SendMessageCommand) return new SendMessageCommand({ ...command.input });
  if (command instanceof SendMessageBatchCommand) {
    return new SendMessageBatchCommand({
      ...command.input,
      Entries: (command.input.Entries ?? []).map((e) => ({ ...e, Id: `${e.Id}-dup${n}` })),
    });
  }
  return undefined;
};

export type { SQSClient };
