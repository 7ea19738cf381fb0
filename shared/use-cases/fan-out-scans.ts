import type { ScanJob as ScanQueueJob } from '#domain/messages.ts';
import type { IsoDate, PoolCode } from '#domain/model.ts';
import { jakartaDateOf } from '#domain/period.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { PoolRegistry } from '#domain/ports/pool-registry.ts';
import { FAN_OUT_PAGE_SIZE, type FanOutStep, type JobBatchQueue } from './allocation/fan-out-allocation.ts';

/**
 * The daily fan-out, one page of the pool directory per invocation: one SCAN job per registered pool
 * (payroll- or grant-funded alike) for the Jakarta date of the schedule, then, when more pools follow,
 * a FAN_OUT continuation carrying that date and the last code seen (docs/pools-and-areas.md). The date
 * is fixed by the first page, so a chain that crosses midnight still scans one day. A page delivered
 * twice sends its SCAN jobs twice; each scan is keyed by pool+date, so the second is a no-op.
 */
export function makeFanOutScans(deps: {
  readonly pools: Pick<PoolRegistry, 'page'>;
  readonly jobs: JobBatchQueue<ScanQueueJob>;
  readonly clock: Clock;
  readonly pageSize?: number;
}) {
  return async function fanOutScans(input: {
    readonly date?: IsoDate;
    readonly scheduledTime?: string;
    readonly after?: PoolCode;
  }): Promise<FanOutStep & { readonly date: IsoDate }> {
    const when = input.scheduledTime ? new Date(input.scheduledTime) : deps.clock.now();
    const date = input.date ?? jakartaDateOf(Number.isNaN(when.getTime()) ? deps.clock.now() : when);
    const page = await deps.pools.page({
      limit: deps.pageSize ?? FAN_OUT_PAGE_SIZE,
      ...(input.after === undefined ? {} : { after: input.after }),
    });
    await deps.jobs.sendAll(page.pools.map((p) => ({ kind: 'SCAN', pool: p.pool, date })));
    if (page.next !== undefined) await deps.jobs.sendAll([{ kind: 'FAN_OUT', date, after: page.next }]);
    return { date, pools: page.pools.length, ...(page.next === undefined ? {} : { next: page.next }) };
  };
}
