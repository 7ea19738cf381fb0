/**
 * A province of pools for the benchmark: per pool, agencies, donors with valid distinct NIPs (from a
 * global index), workers with valid distinct NIKs, one enrollment file per pool and one payroll file
 * per agency per month. Deterministic (seeded), and light: the files of one month for 100k donors are
 * ~6 MB of text. The demo's region generator makes one untidy pool; this makes many tidy ones.
 */
import { makeNik, makeNip } from '#domain/identifiers.ts';
import type { Period } from '#domain/model.ts';
import { addMonths } from '#domain/period.ts';
import { PLEDGES } from '#shared/demo/catalogue.ts';
import { csvText, EXCEL_ID } from '#shared/demo/csv-text.ts';
import { makeRng } from '#shared/demo/prng.ts';

export type BenchPool = {
  readonly code: string;
  /** PP.RR used in its workers' NIKs (the province pool borrows an unused regency number). */
  readonly nikRegency: string;
  readonly agencies: readonly string[];
  /** Global donor indexes [from, to). */
  readonly donors: readonly [number, number];
  readonly workers: number;
};

export type IntakeFile = { readonly key: string; readonly body: string; readonly rows: number };

const JAMBI = [
  '15',
  '15.01',
  '15.02',
  '15.03',
  '15.04',
  '15.05',
  '15.06',
  '15.07',
  '15.08',
  '15.09',
  '15.71',
  '15.72',
];
const PROVINCES = [
  '11',
  '12',
  '13',
  '14',
  '16',
  '17',
  '18',
  '19',
  '21',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '51',
  '52',
  '53',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '72',
  '73',
  '74',
  '75',
  '76',
  '81',
  '82',
  '91',
  '92',
  '94',
];

/** Jambi's 12 pools first; beyond that, regency-level pools of other provinces. */
export const poolCodes = (count: number): string[] => {
  const codes = JAMBI.slice(0, count);
  for (let p = 0; codes.length < count; p++) {
    const province = PROVINCES[Math.floor(p / 60)];
    if (province === undefined) throw new RangeError(`at most ${JAMBI.length + PROVINCES.length * 60} pools`);
    codes.push(`${province}.${String((p % 60) + 1).padStart(2, '0')}`);
  }
  return codes;
};

const split = (total: number, parts: number, i: number): [number, number] => {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  const from = i * base + Math.min(i, extra);
  return [from, from + base + (i < extra ? 1 : 0)];
};

export const makePools = (opts: {
  pools: number;
  donors: number;
  workers: number;
  agenciesPerPool: number;
}) =>
  poolCodes(opts.pools).map((code, i): BenchPool => {
    const donors = split(opts.donors, opts.pools, i);
    const [w0, w1] = split(opts.workers, opts.pools, i);
    const digits = code.replace('.', '');
    const agencies = Math.max(1, Math.min(opts.agenciesPerPool, donors[1] - donors[0]));
    return {
      code,
      nikRegency: code.length === 2 ? `${code}.73` : code,
      agencies: Array.from({ length: agencies }, (_, a) => `OPD-${digits}-${String(a + 1).padStart(3, '0')}`),
      donors,
      workers: w1 - w0,
    };
  });

const DAY_MS = 86_400_000;
const FIRST_BIRTH = Date.UTC(1966, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Distinct valid NIP per global index: sequence fastest, then gender, then birth day. */
export const nipOf = (g: number): string => {
  const day = Math.floor(g / 1998);
  const birth = iso(FIRST_BIRTH + day * DAY_MS);
  return makeNip({
    birth,
    appointment: `${Math.min(Number(birth.slice(0, 4)) + 22, 2024)}-03`,
    gender: Math.floor(g / 999) % 2 === 0 ? 1 : 2,
    seq: (g % 999) + 1,
  });
};

/** Distinct valid NIK per pool-local index: (district, sequence) unique, birth date varied. */
export const nikOf = (pool: BenchPool, k: number): string =>
  makeNik({
    regency: pool.nikRegency,
    district: String((Math.floor(k / 9999) % 99) + 1).padStart(2, '0'),
    birth: iso(Date.UTC(1965, 0, 1) + (k % 14_000) * DAY_MS),
    female: k % 9 < 4,
    seq: (k % 9999) + 1,
  });

export type BenchWorker = {
  readonly nik: string;
  readonly name: string;
  readonly kpj: string;
  readonly tier: 'JKK_JKM' | 'JKK_JKM_JHT';
  readonly occupation: string;
  readonly enrolledOn: string;
};

/** Every worker enrolled the month before the first payroll period, so all are candidates in month 1. */
export const workersOf = (pool: BenchPool, start: Period): BenchWorker[] => {
  const rng = makeRng(Number(pool.code.replace('.', ''))).fork('workers');
  const enrolledOn = `${addMonths(start, -1)}-15`;
  const prefix = `9${String(Number(pool.code.replace('.', '')) % 100).padStart(2, '0')}`;
  return Array.from({ length: pool.workers }, (_, k) => ({
    nik: nikOf(pool, k),
    name: `Pekerja ${k + 1}`,
    kpj: rng.chance(0.7) ? `${prefix}${String(k).padStart(8, '0')}` : '',
    tier: rng.chance(0.8) ? 'JKK_JKM' : 'JKK_JKM_JHT',
    occupation: 'petani',
    enrolledOn,
  }));
};

export const workerFile = (pool: BenchPool, start: Period): IntakeFile => {
  const rows = workersOf(pool, start).map((w) => [w.nik, w.name, w.kpj, w.tier, w.occupation, w.enrolledOn]);
  return {
    key: `incoming/workers/${pool.code}/pendaftaran-awal.csv`,
    body: csvText([['nik', 'nama', 'kpj', 'paket', 'pekerjaan', 'tanggal_daftar'], ...rows], EXCEL_ID),
    rows: rows.length,
  };
};

/** One payroll file per agency for `period`; ~3% of donors earmark a worker of their pool. */
export const payrollFiles = (pool: BenchPool, period: Period): IntakeFile[] => {
  const [from, to] = pool.donors;
  const rng = makeRng(from + 1).fork(period);
  return pool.agencies.map((agency, a) => {
    const [d0, d1] = split(to - from, pool.agencies.length, a);
    const rows: string[][] = [];
    for (let g = from + d0; g < from + d1; g++) {
      const earmark = pool.workers > 0 && rng.chance(0.03) ? nikOf(pool, g % pool.workers) : '';
      rows.push([nipOf(g), `Pegawai ${g + 1}`, period, String(rng.weighted(PLEDGES)), earmark]);
    }
    return {
      key: `incoming/payroll/${pool.code}/${period}/${agency}.csv`,
      body: csvText([['nip', 'nama', 'periode', 'jumlah', 'nik_pekerja'], ...rows], EXCEL_ID),
      rows: rows.length,
    };
  });
};
