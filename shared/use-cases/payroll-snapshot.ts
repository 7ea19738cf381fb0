/**
 * The accepted rows of a payroll file version, kept beside the reports as `nip;amount;workerNik`, and
 * the corrections a superseding version makes against it (DESIGN.md §4 rule 3).
 *
 * Corrections are computed per NIP (the ledger keys earmarks by agency+NIP): a NIP that appears twice
 * in a version counts with the sum of its amounts and its last earmark. Both versions are loaded into
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

export type DonorTotal = { amount: Rupiah; workerNik: string; line: number };

/** Adds one row to a per-NIP map (sum of amounts, last non-empty earmark, first line). */
export function addDonor(
  map: Map<string, DonorTotal>,
  nip: string,
  amount: Rupiah,
  workerNik: string,
  line: number,
): void {
  const seen = map.get(nip);
  if (seen) {
    seen.amount += amount;
    if (workerNik !== '') seen.workerNik = workerNik;
    return;
  }
  map.set(nip, { amount, workerNik, line });
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
 * Signed differences from `before` to `after`, in a stable order (the new version's NIPs in file
 * order, then removed NIPs in the old snapshot's order):
 * - changed amount: the difference (workerNik only when the earmark changed too);
 * - new donor: +amount (with its earmark, if any);
 * - removed donor: -amount, line 0 (it has no line in the new file), earmark '' if it had one;
 * - only the earmark changed: amount 0 with the new earmark ('' when removed).
 */
export function* corrections(
  before: Map<string, DonorTotal>,
  after: Map<string, DonorTotal>,
): Generator<ChunkEntry> {
  for (const [nip, now] of after) {
    const was = before.get(nip);
    const earmarkChanged = (was?.workerNik ?? '') !== now.workerNik;
    const delta = now.amount - (was?.amount ?? 0);
    if (delta === 0 && !earmarkChanged) continue;
    yield earmarkChanged
      ? { nip, amount: delta, workerNik: now.workerNik, line: now.line }
      : { nip, amount: delta, line: now.line };
  }
  for (const [nip, was] of before) {
    if (after.has(nip)) continue;
    yield was.workerNik === ''
      ? { nip, amount: -was.amount, line: 0 }
      : { nip, amount: -was.amount, workerNik: '', line: 0 };
  }
}
