import { z } from 'zod';
import type { AgencyCode, DeductionChunk, Grant, Period, PoolCode } from '#domain/model.ts';
import { periodOf } from '#domain/period.ts';
import type { PeriodCredits } from '#domain/ports/credit-ledger.ts';

/**
 * Keys and item shapes of the credit side of the `ledger` table (the design is documented in
 * dynamodb-credit-ledger.ts). Kept apart so readers (finance queries, the allocation run) build the
 * very same keys the writer does.
 */

export type ItemKey = { readonly pk: string; readonly sk: string };

const creditPartition = (pool: PoolCode): string => `CREDIT#${pool}`;

export const ledgerKeys = {
  /** One partition per pool+period+agency: a finance query by agency is one Query. */
  deductionPartition: (pool: PoolCode, period: Period, agency: AgencyCode): string =>
    `DED#${pool}#${period}#${agency}`,
  /**
   * `<nip>#<fileId>#D` (correction `#C`), and `…#D:<nik>` for a row earmarking a worker: one item per
   * NIP + worker row of a file version (docs/intake.md#several-rows-per-donor). The slot sits after the last `#`, so readers
   * still split NIP and fileId at both ends and `begins_with(sk, '<nip>#')` finds all of a donor's rows.
   */
  deductionRow: (chunk: DeductionChunk, nip: string, workerNik?: string): ItemKey => ({
    pk: ledgerKeys.deductionPartition(chunk.pool, chunk.period, chunk.agency),
    sk: `${nip}#${chunk.fileId}#${chunk.kind === 'DEDUCTION' ? 'D' : 'C'}${workerNik ? `:${workerNik}` : ''}`,
  }),
  donor: (nip: string, pool: PoolCode, agency: AgencyCode): ItemKey => ({
    pk: `DONOR#${nip}`,
    sk: `${pool}#${agency}`,
  }),
  creditPartition,
  /** The chunk summary: commit marker and derived aggregate of one chunk. */
  chunkSummary: (chunk: DeductionChunk): ItemKey => ({
    pk: creditPartition(chunk.pool),
    sk: `${chunk.period}#${chunk.agency}#${chunk.chunkId}`,
  }),
  grant: (grant: Pick<Grant, 'pool' | 'period' | 'reference'>): ItemKey => ({
    pk: creditPartition(grant.pool),
    sk: `${grant.period}#GRANT#${grant.reference}`,
  }),
  /**
   * The recording-time index: one small item per commit attempt of a chunk summary or grant, in the
   * partition of the Jakarta month of its recordedAt. Written before the summary (the commit marker),
   * so every committed credit has one; an attempt that did not commit leaves one whose recordedAt the
   * summary does not carry, and readers skip it (dynamodb-credit-history.ts).
   */
  recordedPartition: (pool: PoolCode, month: Period): string => `CREDITREC#${pool}#${month}`,
  recorded: (pool: PoolCode, recordedAt: string, creditSk: string): ItemKey => ({
    pk: ledgerKeys.recordedPartition(pool, periodOf(new Date(recordedAt))),
    sk: `${recordedAt}#${creditSk}`,
  }),
  /** A pool's monthly credit closings (domain/credit-closing.ts), one item per month. */
  closing: (pool: PoolCode, month: Period): ItemKey => ({ pk: `CLOSING#${pool}`, sk: month }),
  /** Claims a grant reference for its pool whatever the period, so one reference never counts twice. */
  grantReference: (pool: PoolCode, reference: string): ItemKey => ({
    pk: `GRANTREF#${pool}`,
    sk: reference,
  }),
} as const;

const rupiah = z.number().int().safe();
const isoInstant = z.string().min(20);

/** An earmark a chunk sets (`off`: a correction ended it); latest per agency + NIP + NIK wins. */
export const earmarkEntrySchema = z.object({
  nip: z.string(),
  nik: z.string(),
  off: z.literal(true).optional(),
});

/** A chunk summary in the CREDIT#<pool> partition (chunkItems writes it). */
export const chunkSummaryItemSchema = z.object({
  kind: z.enum(['DEDUCTION', 'CORRECTION']),
  sk: z.string(),
  period: z.string(),
  agency: z.string(),
  total: rupiah,
  rows: z.number().int().nonnegative(),
  earmarks: z.array(earmarkEntrySchema).optional(),
  recordedAt: isoInstant,
});

/** A grant in the CREDIT#<pool> partition. */
export const grantItemSchema = z.object({
  kind: z.literal('GRANT'),
  sk: z.string(),
  period: z.string(),
  amount: rupiah,
  recordedAt: isoInstant,
});

/**
 * The one schema of what the CREDIT#<pool> partition holds, read by every adapter of the credit side
 * (credit ledger, credit history, ledger queries, file deliveries: a projection `.pick`s from it).
 */
export const creditItemSchema = z.discriminatedUnion('kind', [chunkSummaryItemSchema, grantItemSchema]);
export type CreditItem = z.infer<typeof creditItemSchema>;

export const grantReferenceItemSchema = z.object({
  period: z.string(),
  amount: rupiah,
  source: z.string(),
  fileId: z.string(),
});

/** Builds the row items, the summary item and the directory items a chunk writes. */
export const chunkItems = (chunk: DeductionChunk, recordedAt: string) => {
  const rows = chunk.entries.map((entry) => ({
    ...ledgerKeys.deductionRow(chunk, entry.nip, entry.workerNik),
    amount: entry.amount,
    ...(entry.workerNik === undefined ? {} : { workerNik: entry.workerNik }),
    ...(entry.ended === true ? { ended: true } : {}),
    line: entry.line,
    chunkId: chunk.chunkId,
    kind: chunk.kind,
    recordedAt,
  }));
  const earmarks = chunk.entries.flatMap((e) =>
    e.workerNik === undefined || e.workerNik === ''
      ? []
      : [
          e.ended === true
            ? { nip: e.nip, nik: e.workerNik, off: true as const }
            : { nip: e.nip, nik: e.workerNik },
        ],
  );
  const summary = {
    ...ledgerKeys.chunkSummary(chunk),
    kind: chunk.kind,
    period: chunk.period,
    agency: chunk.agency,
    fileId: chunk.fileId,
    total: chunk.entries.reduce((sum, e) => sum + e.amount, 0),
    rows: chunk.entries.length,
    ...(earmarks.length === 0 ? {} : { earmarks }),
    recordedAt,
  };
  return { rows, summary, recorded: ledgerKeys.recorded(chunk.pool, recordedAt, summary.sk) };
};

export const donorItem = (nip: string, chunk: DeductionChunk, recordedAt: string) => ({
  ...ledgerKeys.donor(nip, chunk.pool, chunk.agency),
  firstPeriod: chunk.period,
  recordedAt,
});

/** Credit items (chunk summaries and grants) summed per period, in period order. */
export function periodCreditsOf(items: readonly CreditItem[]): PeriodCredits[] {
  const byPeriod = new Map<
    Period,
    { deductions: number; corrections: number; grants: number; rows: number; chunks: number; last: string }
  >();
  for (const item of items) {
    const sums = byPeriod.get(item.period) ?? {
      deductions: 0,
      corrections: 0,
      grants: 0,
      rows: 0,
      chunks: 0,
      last: '',
    };
    if (item.kind === 'GRANT') sums.grants += item.amount;
    else {
      sums.chunks += 1;
      if (item.recordedAt > sums.last) sums.last = item.recordedAt;
      if (item.kind === 'DEDUCTION') {
        sums.deductions += item.total;
        sums.rows += item.rows;
      } else sums.corrections += item.total;
    }
    byPeriod.set(item.period, sums);
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
