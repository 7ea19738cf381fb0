import { makeNik, makeNip } from '#domain/identifiers.ts';
import { DEDUCTION_CHUNK_SIZE } from '#domain/messages.ts';
import type { DeductionChunk } from '#domain/model.ts';

type Entry = DeductionChunk['entries'][number];

/** The i-th donor (0-based): a valid NIP, distinct for every i below ~360,000. */
export const donorNip = (i: number): string => {
  const day = Math.floor(i / 999);
  const birth = new Date(Date.UTC(1970, 0, 1 + day)).toISOString().slice(0, 10);
  return makeNip({ birth, appointment: '2015-05', gender: 1, seq: (i % 999) + 1 });
};

export const workerNik = (i: number): string =>
  makeNik({
    regency: '15.04',
    district: '01',
    birth: '1990-01-15',
    female: i % 2 === 0,
    seq: (i % 9999) + 1,
  });

/** One chunk with explicit entries (chunkId = `<fileId>#<index>`, as the splitter builds it). */
export const makeChunk = (
  over: Partial<Omit<DeductionChunk, 'entries'>> & { index?: number; entries: Entry[] },
): DeductionChunk => {
  const fileId = over.fileId ?? 'f-batanghari-2025-07-dinkes';
  const { index = 0, ...rest } = over;
  return {
    chunkId: `${fileId}#${index}`,
    fileId,
    kind: 'DEDUCTION',
    pool: '15.04',
    period: '2025-07',
    agency: 'DINKES',
    ...rest,
  };
};

export type FileSpec = {
  readonly pool: string;
  readonly period: string;
  readonly agency: string;
  readonly fileId: string;
  /** Donors as indexes into donorNip. */
  readonly donors: readonly number[];
  readonly amount?: (donor: number) => number;
  readonly earmark?: (donor: number) => string | undefined;
};

/** Splits one payroll file's rows into DEDUCTION chunks of DEDUCTION_CHUNK_SIZE, like the splitter. */
export const chunksOfFile = (spec: FileSpec): DeductionChunk[] => {
  const amount = spec.amount ?? ((d: number) => 10_000 + (d % 7) * 2_500);
  const entries: Entry[] = spec.donors.map((d, i) => {
    const nik = spec.earmark?.(d);
    return {
      nip: donorNip(d),
      amount: amount(d),
      line: i + 2,
      ...(nik === undefined ? {} : { workerNik: nik }),
    };
  });
  const chunks: DeductionChunk[] = [];
  for (let i = 0; i * DEDUCTION_CHUNK_SIZE < entries.length; i++) {
    chunks.push(
      makeChunk({
        pool: spec.pool,
        period: spec.period,
        agency: spec.agency,
        fileId: spec.fileId,
        index: i,
        entries: entries.slice(i * DEDUCTION_CHUNK_SIZE, (i + 1) * DEDUCTION_CHUNK_SIZE),
      }),
    );
  }
  return chunks;
};

/** Σ amounts per pool, computed from the chunks themselves: the figure a ledger must reproduce. */
export const expectedTotals = (chunks: readonly DeductionChunk[]): Map<string, number> => {
  const totals = new Map<string, number>();
  for (const c of chunks) {
    totals.set(c.pool, (totals.get(c.pool) ?? 0) + c.entries.reduce((s, e) => s + e.amount, 0));
  }
  return totals;
};

/** Deterministic shuffle (mulberry32), so a failing order can be replayed from its seed. */
export const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};
