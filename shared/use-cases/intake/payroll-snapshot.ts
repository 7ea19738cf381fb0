/**
 * The accepted rows of a payroll file version, kept beside the reports as `nip;amount;workerNik`, and
 * the corrections a superseding version makes against it (docs/design.md#corrections-not-edits).
 *
 * Corrections are computed per donor row, NIP + earmarked worker (docs/intake.md, several rows per donor: a donor may name
 * several workers, one row each; the ledger keys rows and earmarks the same way). Both versions are loaded into
 * Maps, so memory is proportional to the rows of one agency's file (a few thousand ASN at most), which
 * is acceptable; the full-size path (first versions, any size) streams.
 */
import type { AgencyCode, Deduction, Period, PoolCode, Rupiah } from '#domain/model.ts';
import type { ChunkEntry } from './chunk-emitter.ts';

export const SNAPSHOT_HEADER = 'nip;amount;workerNik\n';

export function snapshotKey(pool: PoolCode, period: Period, agency: AgencyCode, fileId: string): string {
  return `snapshots/${pool}/${period}/${agency}/${fileId}.csv`;
}

export function snapshotLine(d: Pick<Deduction, 'nip' | 'amount' | 'workerNik'>): string {
  return `${d.nip};${d.amount};${d.workerNik ?? ''}\n`;
}

/** One donor row of a version: NIP + earmarked worker ('' = none) is its identity, docs/intake.md. */
export type DonorTotal = { nip: string; workerNik: string; amount: Rupiah; line: number };

/** The identity of a donor row in a version: NIP and earmarked worker. */
export const slotOf = (nip: string, workerNik: string): string => `${nip}#${workerNik}`;

/**
 * Adds one row to a per-(NIP, worker) map. The validator accepts each NIP + worker once per file, so a
 * repeat only happens in a snapshot written before that rule; its amounts are summed, never lost.
 */
export function addDonor(
  map: Map<string, DonorTotal>,
  nip: string,
  amount: Rupiah,
  workerNik: string,
  line: number,
): void {
  const key = slotOf(nip, workerNik);
  const seen = map.get(key);
  if (seen) {
    seen.amount += amount;
    return;
  }
  map.set(key, { nip, workerNik, amount, line });
}

/** Reads a snapshot written by this module. Anything else is a bug or tampering: fail loudly. */
export function parseSnapshot(text: string): Map<string, DonorTotal> {
  const map = new Map<string, DonorTotal>();
  const lines = text.split('\n');
  if (`${lines[0]}\n` !== SNAPSHOT_HEADER) throw new Error('snapshot: unexpected header');
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const match = /^(\d{18});(\d+);(\d{16})?$/.exec(line);
    if (!match?.[1] || !match[2]) throw new Error(`snapshot: unreadable line ${i + 1}`);
    addDonor(map, match[1], Number(match[2]), match[3] ?? '', 0);
  }
  return map;
}

/**
 * Signed differences from `before` to `after`, one entry per donor row (NIP + worker) that changed, in
 * a stable order (the new version's rows in file order, then removed rows in the old snapshot's order),
 * so a correction of one of a donor's rows touches only that row:
 * - changed amount: the difference (with its worker, which re-asserts the earmark);
 * - new row: +amount (with its worker, if any);
 * - removed row: -amount, line 0 (it has no line in the new file), `ended` when it named a worker;
 * - a row whose worker changed is a removed row plus a new row.
 */
export function* corrections(
  before: Map<string, DonorTotal>,
  after: Map<string, DonorTotal>,
): Generator<ChunkEntry> {
  for (const [key, now] of after) {
    const delta = now.amount - (before.get(key)?.amount ?? 0);
    if (delta === 0) continue;
    yield now.workerNik === ''
      ? { nip: now.nip, amount: delta, line: now.line }
      : { nip: now.nip, amount: delta, workerNik: now.workerNik, line: now.line };
  }
  for (const [key, was] of before) {
    if (after.has(key)) continue;
    yield was.workerNik === ''
      ? { nip: was.nip, amount: -was.amount, line: 0 }
      : { nip: was.nip, amount: -was.amount, workerNik: was.workerNik, ended: true, line: 0 };
  }
}
