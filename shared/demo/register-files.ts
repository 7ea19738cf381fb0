/**
 * The non-payroll files of the story: the initial worker enrollment list, small monthly enrollment
 * files, one exit file, and the year's APBD/BKBK grant arriving late.
 */
import type { Period } from '#domain/model.ts';
import { formatNumberId } from '#domain/money.ts';
import { csvText, EXCEL_ID, PLAIN } from './csv-text.ts';
import type { FileDrop, SyntheticGrant, SyntheticWorker } from './types.ts';

const WORKER_HEADER = ['nik', 'nama', 'kpj', 'paket', 'pekerjaan', 'tanggal_daftar'];

/** `2025-08-17` -> `17/08/2025`: the Indonesian day-first date Excel users type. */
function dayFirst(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

function workerCells(w: SyntheticWorker, dates: 'iso' | 'day-first'): string[] {
  const enrolled = dates === 'iso' ? w.enrolledOn : dayFirst(w.enrolledOn);
  return [w.nik, w.name, w.kpj ?? '', w.tier, w.occupation, enrolled];
}

export function makeWorkerDrops(
  pool: string,
  periods: readonly Period[],
  workers: readonly SyntheticWorker[],
): FileDrop[] {
  const start = periods[0] as Period;
  const drops: FileDrop[] = [];
  const before = workers.filter((w) => w.enrolledOn < `${start}-01`);
  if (before.length > 0) {
    drops.push({
      kind: 'workers',
      key: `incoming/workers/${pool}/pendaftaran-awal-${start}.csv`,
      body: csvText([WORKER_HEADER, ...before.map((w) => workerCells(w, 'day-first'))], EXCEL_ID),
      deliverOn: `${start}-01`,
      note: `${before.length} pekerja terdaftar sebelum ${start} / enrolled before the run`,
    });
  }
  for (const period of periods) {
    const joined = workers.filter((w) => w.enrolledOn.startsWith(period));
    if (joined.length === 0) continue;
    drops.push({
      kind: 'workers',
      key: `incoming/workers/${pool}/pendaftaran-${period}.csv`,
      body: csvText([WORKER_HEADER, ...joined.map((w) => workerCells(w, 'iso'))], PLAIN),
      deliverOn: `${period}-28`,
      note: `${joined.length} pekerja baru / new workers`,
    });
  }
  const exits = workers.filter((w) => w.exit !== undefined);
  const exitPeriod = exits[0]?.exit?.on.slice(0, 7);
  if (exitPeriod !== undefined) {
    const rows = exits.map((w) => [...workerCells(w, 'iso'), w.exit?.on ?? '', w.exit?.reason ?? '']);
    drops.push({
      kind: 'workers',
      key: `incoming/workers/${pool}/keluar-${exitPeriod}.csv`,
      body: csvText([[...WORKER_HEADER, 'tanggal_keluar', 'alasan_keluar'], ...rows], PLAIN),
      deliverOn: `${exitPeriod}-28`,
      note: `${exits.length} pekerja keluar / exits`,
    });
  }
  return drops;
}

/**
 * The regency's APBD line and the villages' BKBK share, sized to the worker count, arriving late (in
 * month `grantIn`, while the largest agency is silent: it clears the arrears).
 */
export function makeGrantDrop(
  pool: string,
  periods: readonly Period[],
  workerCount: number,
  grantIn: number,
): { drop: FileDrop; grants: SyntheticGrant[] } {
  const start = periods[0] as Period;
  const arrives = periods[Math.min(grantIn, periods.length) - 1] as Period;
  const key = `incoming/grants/${pool}/hibah-${arrives}.csv`;
  const year = start.slice(0, 4);
  const million = (perWorker: number): number =>
    Math.max(1, Math.round((workerCount * perWorker) / 1e6)) * 1e6;
  const grants: SyntheticGrant[] = [
    { key, reference: `APBD-BTH-${year}-001`, source: 'APBD', period: start, amount: million(12_000) },
    { key, reference: `BKBK-BTH-${year}-001`, source: 'BKBK', period: start, amount: million(8_000) },
  ];
  const notes = {
    APBD: `Hibah APBD Kabupaten Batanghari TA ${year}`,
    BKBK: 'BKBK: 10% bantuan keuangan desa untuk SERTAKAN',
  } as const;
  const rows = grants.map((g) => [
    g.reference,
    g.source,
    g.period,
    `Rp ${formatNumberId(g.amount)},00`,
    g.source === 'APBD' ? notes.APBD : notes.BKBK,
  ]);
  const body = csvText([['referensi', 'sumber', 'periode', 'jumlah', 'keterangan'], ...rows], EXCEL_ID);
  return {
    drop: { kind: 'grants', key, body, deliverOn: `${arrives}-12`, note: 'hibah terlambat / late grant' },
    grants,
  };
}
