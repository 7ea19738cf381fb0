/**
 * Invents the people of the synthetic region: agencies sized by share, ASN donors with valid NIPs,
 * pledges and join/leave months, informal workers with valid NIKs from Batanghari's districts, and the
 * few donors who earmark a worker they know.
 */
import { makeNik, makeNip } from '#domain/identifiers.ts';
import type { IsoDate, Period } from '#domain/model.ts';
import { addMonths, daysInMonth } from '#domain/period.ts';
import {
  AGENCY_CATALOGUE,
  DISTRICTS,
  EXIT_REASONS,
  FEMALE_NAMES,
  FEMALE_SURNAMES,
  MALE_NAMES,
  MALE_SURNAMES,
  OCCUPATIONS,
  PLEDGES,
  TITLE_PREFIXES,
  TITLE_SUFFIXES,
} from './catalogue.ts';
import type { Rng } from './prng.ts';
import type { SyntheticAgency, SyntheticDonor, SyntheticWorker } from './types.ts';

export const REGENCY = '15.04';
const MAX_PER_DISTRICT = 9999;
/** Batanghari joined SERTAKAN in July 2025: enrollments before the simulation go back this far. */
const ENROLLMENT_HISTORY_MONTHS = 6;

/** Splits `donors` over the agencies by weight (largest remainder), every agency at least one donor. */
export function makeAgencies(count: number, donors: number): SyntheticAgency[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`agencies must be >= 1, got ${count}`);
  if (donors < count) throw new RangeError(`need at least one donor per agency (${donors} < ${count})`);
  const base = Array.from({ length: count }, (_, i) => {
    const entry = AGENCY_CATALOGUE[i];
    if (entry) return { code: entry[0], name: entry[1], weight: entry[2] };
    const n = String(i - AGENCY_CATALOGUE.length + 1).padStart(3, '0');
    return { code: `UPTD-SD-${n}`, name: `UPTD SD Negeri ${n} Batanghari`, weight: 0.5 };
  });
  const spare = donors - count;
  const total = base.reduce((s, a) => s + a.weight, 0);
  const shares = base.map((a) => (spare * a.weight) / total);
  const counts = shares.map((s) => Math.floor(s));
  let left = spare - counts.reduce((s, c) => s + c, 0);
  const byRemainder = shares.map((s, i) => [i, s - Math.floor(s)] as const).sort((a, b) => b[1] - a[1]);
  for (const [i] of byRemainder) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return base.map((a, i) => ({ code: a.code, name: a.name, donorCount: (counts[i] ?? 0) + 1 }));
}

export function makeDonors(
  rng: Rng,
  agencies: readonly SyntheticAgency[],
  periods: readonly Period[],
): SyntheticDonor[] {
  const seen = new Set<string>();
  const last = periods.length - 1;
  const donors: SyntheticDonor[] = [];
  for (const agency of agencies) {
    for (let i = 0; i < agency.donorCount; i++) {
      const female = rng.chance(0.52);
      const nip = uniqueNip(rng, female, seen);
      const fromIndex = last > 0 && rng.chance(0.1) ? rng.int(1, last) : 0;
      const toIndex = fromIndex < last && rng.chance(0.08) ? rng.int(fromIndex, last - 1) : last;
      donors.push({
        nip,
        name: asnName(rng, female, agency.code),
        agency: agency.code,
        amount: rng.weighted(PLEDGES),
        from: periods[fromIndex] as Period,
        to: periods[toIndex] as Period,
      });
    }
  }
  return donors;
}

function uniqueNip(rng: Rng, female: boolean, seen: Set<string>): string {
  for (;;) {
    const year = rng.int(1966, 1999);
    const birth = isoDate(year, rng.int(1, 12), rng.int(1, 28));
    const apptYear = Math.min(2024, year + rng.int(21, 32));
    const nip = makeNip({
      birth,
      appointment: `${apptYear}-${pad2(rng.pick([1, 3, 4, 6, 12]))}`,
      gender: female ? 2 : 1,
      seq: rng.int(1, 999),
    });
    if (!seen.has(nip)) {
      seen.add(nip);
      return nip;
    }
  }
}

function asnName(rng: Rng, female: boolean, agency: string): string {
  const core = personName(rng, female, 0.05);
  if (rng.chance(0.22)) return `${core}${rng.pick(TITLE_SUFFIXES)}`;
  if ((agency === 'DINKES' || agency === 'RSUD-HAMBA') && rng.chance(0.15)) return `dr. ${core}`;
  if (rng.chance(0.05)) return `${rng.pick(female ? ['Hj. ', 'Dra. '] : TITLE_PREFIXES)}${core}`;
  return core;
}

function personName(rng: Rng, female: boolean, singleNameShare: number): string {
  const given = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
  if (rng.chance(singleNameShare)) return given;
  return `${given} ${rng.pick(female ? FEMALE_SURNAMES : MALE_SURNAMES)}`;
}

export function makeWorkers(rng: Rng, count: number, periods: readonly Period[]): SyntheticWorker[] {
  const start = periods[0] as Period;
  const nextSeq = new Map<string, number>();
  const kpjs = new Set<string>();
  const workers: SyntheticWorker[] = [];
  for (let i = 0; i < count; i++) {
    const district = rng.weighted(DISTRICTS);
    const seq = (nextSeq.get(district) ?? 0) + 1;
    if (seq > MAX_PER_DISTRICT) throw new RangeError(`too many workers for district ${district}`);
    nextSeq.set(district, seq);
    const female = rng.chance(0.45);
    const birth = isoDate(rng.int(1962, 2005), rng.int(1, 12), rng.int(1, 28));
    const kpj = rng.chance(0.7) ? uniqueKpj(rng, kpjs) : undefined;
    workers.push({
      nik: makeNik({ regency: REGENCY, district, birth, female, seq }),
      name: personName(rng, female, 0.15),
      tier: rng.chance(0.8) ? 'JKK_JKM' : 'JKK_JKM_JHT',
      occupation: rng.weighted(OCCUPATIONS),
      enrolledOn: enrollmentDate(rng, start, periods),
      ...(kpj === undefined ? {} : { kpj }),
    });
  }
  return workers;
}

function enrollmentDate(rng: Rng, start: Period, periods: readonly Period[]): IsoDate {
  const month = rng.chance(0.55)
    ? addMonths(start, -rng.int(1, ENROLLMENT_HISTORY_MONTHS))
    : (periods[rng.int(0, periods.length - 1)] as Period);
  return `${month}-${pad2(rng.int(1, 28))}`;
}

function uniqueKpj(rng: Rng, seen: Set<string>): string {
  for (;;) {
    const kpj = `${rng.int(1, 9)}${String(rng.int(0, 99_999)).padStart(5, '0')}${String(rng.int(0, 99_999)).padStart(5, '0')}`;
    if (!seen.has(kpj)) {
      seen.add(kpj);
      return kpj;
    }
  }
}

/**
 * Marks a few pre-existing workers as exited in `exitMonth` (returns new worker list and the exited
 * NIKs) and lets ~3% of donors earmark a worker who stays enrolled throughout.
 */
export function addExitsAndEarmarks(
  rng: Rng,
  workers: readonly SyntheticWorker[],
  donors: readonly SyntheticDonor[],
  start: Period,
  exitMonth: Period,
): { workers: SyntheticWorker[]; donors: SyntheticDonor[] } {
  const veterans = workers.filter((w) => w.enrolledOn < `${start}-01`).map((w) => w.nik);
  const exitCount = workers.length >= 20 ? Math.max(3, Math.round(workers.length * 0.01)) : 0;
  const exiting = new Set<string>();
  while (exiting.size < Math.min(exitCount, veterans.length)) exiting.add(rng.pick(veterans));
  const lastDay = daysInMonth(Number(exitMonth.slice(0, 4)), Number(exitMonth.slice(5, 7)));
  const withExits = workers.map((w) =>
    exiting.has(w.nik)
      ? {
          ...w,
          exit: {
            on: `${exitMonth}-${pad2(rng.int(1, Math.min(20, lastDay)))}`,
            reason: rng.pick(EXIT_REASONS),
          },
        }
      : w,
  );
  const sponsorable = veterans.filter((nik) => !exiting.has(nik));
  const withEarmarks = donors.map((d) =>
    sponsorable.length > 0 && rng.chance(0.03) ? { ...d, workerNik: rng.pick(sponsorable) } : d,
  );
  return { workers: withExits, donors: withEarmarks };
}

export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
