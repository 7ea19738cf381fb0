import { ConflictError } from '#domain/errors.ts';
import type { DeductionChunk, Grant, Period, PoolCode } from '#domain/model.ts';
import type { CreditLedger, Earmark, PeriodCredits, WriteOutcome } from '#domain/ports/credit-ledger.ts';

type StoredChunk = { readonly chunk: DeductionChunk; readonly recordedAt: Date };
type StoredGrant = { readonly grant: Grant; readonly recordedAt: Date };

/**
 * In-memory CreditLedger with the DynamoDB adapter's semantics: a chunk is keyed by
 * pool+period+agency+chunkId, a grant reference counts once per pool (different money under the same
 * reference is a ConflictError), `asOf` filters by recording time, and per agency+NIP+worker the latest
 * earmark wins (a CORRECTION at the same instant wins; an `ended` row ends it), dated by the first
 * version of its unbroken run of versions.
 */
export class InMemoryCreditLedger implements CreditLedger {
  readonly chunks = new Map<string, StoredChunk>();
  readonly grants = new Map<string, StoredGrant>();
  /** Every call, in order, for assertions such as "written once". */
  readonly calls: { readonly method: 'writeChunk' | 'writeGrant'; readonly outcome: WriteOutcome }[] = [];

  async writeChunk(chunk: DeductionChunk, recordedAt: Date): Promise<WriteOutcome> {
    const key = `${chunk.pool}#${chunk.period}#${chunk.agency}#${chunk.chunkId}`;
    const outcome: WriteOutcome = this.chunks.has(key) ? 'ALREADY_PRESENT' : 'WRITTEN';
    if (outcome === 'WRITTEN') this.chunks.set(key, { chunk: structuredClone(chunk), recordedAt });
    this.calls.push({ method: 'writeChunk', outcome });
    return outcome;
  }

  async writeGrant(grant: Grant, recordedAt: Date): Promise<WriteOutcome> {
    const key = `${grant.pool}#${grant.reference}`;
    const existing = this.grants.get(key);
    if (
      existing !== undefined &&
      (existing.grant.amount !== grant.amount || existing.grant.period !== grant.period)
    ) {
      throw new ConflictError(
        `grant reference ${grant.reference} of pool ${grant.pool} was already credited with other money`,
        { code: 'GRANT_REFERENCE_CONFLICT' },
      );
    }
    const outcome: WriteOutcome = existing === undefined ? 'WRITTEN' : 'ALREADY_PRESENT';
    if (existing === undefined) this.grants.set(key, { grant: { ...grant }, recordedAt });
    this.calls.push({ method: 'writeGrant', outcome });
    return outcome;
  }

  async creditsByPeriod(pool: PoolCode, asOf?: Date): Promise<PeriodCredits[]> {
    return this.creditsWhere(pool, (at) => asOf === undefined || at.getTime() <= asOf.getTime());
  }

  /** Committed credits of the pool whose recording time passes `visible`, per period. */
  creditsWhere(pool: PoolCode, visible: (recordedAt: Date) => boolean): PeriodCredits[] {
    const byPeriod = new Map<
      Period,
      { deductions: number; corrections: number; grants: number; rows: number; chunks: number; last: string }
    >();
    const sums = (period: Period) => {
      const s = byPeriod.get(period) ?? {
        deductions: 0,
        corrections: 0,
        grants: 0,
        rows: 0,
        chunks: 0,
        last: '',
      };
      byPeriod.set(period, s);
      return s;
    };
    for (const { chunk, recordedAt } of this.chunks.values()) {
      if (chunk.pool !== pool || !visible(recordedAt)) continue;
      const s = sums(chunk.period);
      const total = chunk.entries.reduce((sum, e) => sum + e.amount, 0);
      s.chunks += 1;
      if (recordedAt.toISOString() > s.last) s.last = recordedAt.toISOString();
      if (chunk.kind === 'DEDUCTION') {
        s.deductions += total;
        s.rows += chunk.entries.length;
      } else s.corrections += total;
    }
    for (const { grant, recordedAt } of this.grants.values()) {
      if (grant.pool === pool && visible(recordedAt)) sums(grant.period).grants += grant.amount;
    }
    return [...byPeriod]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([period, s]) => ({
        period,
        deductions: s.deductions,
        corrections: s.corrections,
        grants: s.grants,
        deductionRows: s.rows,
        payrollChunks: s.chunks,
        ...(s.last === '' ? {} : { lastPayrollAt: s.last }),
      }));
  }

  async earmarks(pool: PoolCode, period: Period): Promise<Earmark[]> {
    type Version = { earmark: Omit<Earmark, 'recordedAt'>; at: number; correction: boolean; off: boolean };
    const versions = new Map<string, Version[]>();
    for (const { chunk, recordedAt } of this.chunks.values()) {
      if (chunk.pool !== pool || chunk.period !== period) continue;
      const correction = chunk.kind === 'CORRECTION';
      for (const e of chunk.entries) {
        if (e.workerNik === undefined || e.workerNik === '') continue;
        const key = `${chunk.agency}#${e.nip}#${e.workerNik}`;
        const list = versions.get(key) ?? [];
        list.push({
          earmark: { nik: e.workerNik, nip: e.nip, agency: chunk.agency },
          at: recordedAt.getTime(),
          correction,
          off: e.ended === true,
        });
        versions.set(key, list);
      }
    }
    const out: [string, Earmark][] = [];
    for (const [key, list] of versions) {
      // Oldest first; at one instant a CORRECTION comes after the DEDUCTION it corrects.
      list.sort((a, b) => a.at - b.at || Number(a.correction) - Number(b.correction));
      let since: number | undefined;
      for (const v of list) since = v.off ? undefined : (since ?? v.at);
      const last = list.at(-1);
      if (last !== undefined && !last.off && since !== undefined)
        out.push([key, { ...last.earmark, recordedAt: new Date(since).toISOString() }]);
    }
    return out.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
  }
}
