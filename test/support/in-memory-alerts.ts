import type { Alert, RecordedAlert } from '#domain/alerts.ts';
import type { ScanJob as ScanQueueJob } from '#domain/messages.ts';
import type { AgencyCode, IsoDate, Period, PoolCode } from '#domain/model.ts';
import type { AlertPublisher, DigestMessage } from '#domain/ports/alert-publisher.ts';
import type { AlertLog } from '#domain/ports/alerts/alert-log.ts';
import type { CoveragePages } from '#domain/ports/alerts/coverage-pages.ts';
import type { DigestLog, DigestRecord } from '#domain/ports/alerts/digest-log.ts';
import type { PoolScanJob, ScanJobQueue } from '#domain/ports/alerts/scan-job-queue.ts';
import type { ScanState, ScanStateStore } from '#domain/ports/alerts/scan-state-store.ts';
import type { StoredCoverage } from '#domain/ports/allocation/coverage-store.ts';
import type { AgencyPeriodCredit, FileDeliveries } from '#domain/ports/file-deliveries.ts';
import type { InMemoryCoverageStore } from './in-memory-allocation.ts';
import { InjectedCrashError } from './injected-crash.ts';

/** In-memory fakes of the alert ports, with the DynamoDB adapters' rules (conditional, append-only). */

export class InMemoryAlertLog implements AlertLog {
  readonly alerts = new Map<string, RecordedAlert>();
  /** Throws once after this many alerts were recorded (crash injection). */
  crashAfterRecords?: number;
  private recorded = 0;

  async record(alerts: readonly Alert[], date: IsoDate): Promise<RecordedAlert[]> {
    const out: RecordedAlert[] = [];
    for (const a of alerts) {
      const existing = this.alerts.get(`${a.pool}|${a.id}`);
      if (existing) {
        // As the adapter: today's alert, with the date the log first saw it.
        out.push({ ...structuredClone(a), firstSeen: existing.firstSeen });
        continue;
      }
      if (this.crashAfterRecords !== undefined && this.recorded >= this.crashAfterRecords) {
        this.crashAfterRecords = undefined;
        throw new InjectedCrashError('injected crash');
      }
      const rec = { ...structuredClone(a), firstSeen: date };
      this.alerts.set(`${a.pool}|${a.id}`, rec);
      this.recorded++;
      out.push(rec);
    }
    return out;
  }
}

export class InMemoryScanStates implements ScanStateStore {
  readonly states = new Map<string, ScanState>();
  async get(pool: PoolCode, date: IsoDate) {
    const s = this.states.get(`${pool}|${date}`);
    return s ? structuredClone(s) : undefined;
  }
  async create(state: ScanState): Promise<'CREATED' | 'EXISTS'> {
    const key = `${state.pool}|${state.date}`;
    if (this.states.has(key)) return 'EXISTS';
    this.states.set(key, structuredClone(state));
    return 'CREATED';
  }
  async advance(next: ScanState, fromStep: number): Promise<'COMMITTED' | 'CONFLICT'> {
    const key = `${next.pool}|${next.date}`;
    if (this.states.get(key)?.step !== fromStep) return 'CONFLICT';
    this.states.set(key, structuredClone(next));
    return 'COMMITTED';
  }
}

export class InMemoryDigestLog implements DigestLog {
  readonly digests = new Map<string, DigestRecord>();
  async get(pool: PoolCode, date: IsoDate) {
    return this.digests.get(`${pool}|${date}`);
  }
  async record(d: DigestRecord): Promise<'RECORDED' | 'EXISTS'> {
    const key = `${d.pool}|${d.date}`;
    if (this.digests.has(key)) return 'EXISTS';
    this.digests.set(key, structuredClone(d));
    return 'RECORDED';
  }
}

export class InMemoryPublisher implements AlertPublisher {
  readonly messages: DigestMessage[] = [];
  async publish(message: DigestMessage): Promise<string> {
    this.messages.push(structuredClone(message));
    return `msg-${this.messages.length}`;
  }
}

/** Pages over the in-memory coverage store in NIK order; the token is the last NIK returned. */
export class InMemoryCoveragePages implements CoveragePages {
  constructor(private readonly store: InMemoryCoverageStore) {}
  // Sorted NIKs per pool, rebuilt when the store grows (records are never removed); values read fresh.
  #sorted = new Map<PoolCode, { size: number; niks: string[] }>();
  /** Pages served, for tests that count invocations. */
  pagesServed = 0;

  #niks(pool: PoolCode): string[] {
    const cached = this.#sorted.get(pool);
    if (cached && cached.size === this.store.records.size) return cached.niks;
    const niks = [...this.store.records.keys()]
      .filter((k) => k.startsWith(`${pool}|`))
      .map((k) => k.slice(pool.length + 1))
      .sort();
    this.#sorted.set(pool, { size: this.store.records.size, niks });
    return niks;
  }

  async page(pool: PoolCode, token: string | undefined, limit: number) {
    this.pagesServed++;
    const niks = this.#niks(pool);
    let from = 0;
    if (token !== undefined) {
      let lo = 0;
      let hi = niks.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((niks[mid] ?? '') <= token) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    const slice = niks.slice(from, from + limit);
    const records: StoredCoverage[] = slice.flatMap((nik) => {
      const r = this.store.records.get(`${pool}|${nik}`);
      return r ? [r] : [];
    });
    const last = slice.at(-1);
    return { records, ...(from + limit < niks.length && last ? { next: last } : {}) };
  }
}

export class InMemoryScanJobs implements ScanJobQueue {
  readonly sent: PoolScanJob[] = [];
  async send(job: PoolScanJob): Promise<void> {
    this.sent.push(job);
  }
  /** Every job of a batch; FAN_OUT continuations land in `fanOuts`. */
  readonly fanOuts: ScanQueueJob[] = [];
  async sendAll(jobs: readonly ScanQueueJob[]): Promise<void> {
    for (const j of jobs)
      if (j.kind === 'SCAN') this.sent.push(j);
      else this.fanOuts.push(j);
  }
}

export class InMemoryDeliveries implements FileDeliveries {
  readonly credits: (AgencyPeriodCredit & { pool: PoolCode })[] = [];
  add(pool: PoolCode, agency: AgencyCode, period: Period, total: number, rows: number): void {
    this.credits.push({ pool, agency, period, total, rows });
  }
  async agenciesDelivered(pool: PoolCode, period: Period): Promise<AgencyCode[]> {
    return [
      ...new Set(this.credits.filter((c) => c.pool === pool && c.period === period).map((c) => c.agency)),
    ].sort();
  }
  async agencyCredits(pool: PoolCode, from: Period, to: Period): Promise<AgencyPeriodCredit[]> {
    const sums = new Map<string, AgencyPeriodCredit>();
    for (const c of this.credits) {
      if (c.pool !== pool || c.period < from || c.period > to) continue;
      const key = `${c.agency}|${c.period}`;
      const s = sums.get(key);
      sums.set(key, {
        agency: c.agency,
        period: c.period,
        total: (s?.total ?? 0) + c.total,
        rows: (s?.rows ?? 0) + c.rows,
      });
    }
    return [...sums.values()];
  }
}
