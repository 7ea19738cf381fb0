/**
 * A deterministic synthetic region for the demo and the end-to-end tests: Batanghari (pool 15.04),
 * its agencies, ASN donors, informal workers, and twelve months of files arriving in the intake bucket
 * with the untidiness of real ones. Same options, same bytes: every draw comes from a seeded PRNG.
 */
import type { Period } from '#domain/model.ts';
import { addMonths, isPeriod } from '#domain/period.ts';
import { regionName } from '#domain/regions.ts';
import { makePayrollScenario } from './payroll-scenario.ts';
import { addExitsAndEarmarks, makeAgencies, makeDonors, makeWorkers, REGENCY } from './population.ts';
import { makeRng } from './prng.ts';
import { makeGrantDrop, makeWorkerDrops } from './register-files.ts';
import type { FileDrop, SyntheticRegion, SyntheticRegionOptions } from './types.ts';

export type * from './types.ts';
export { PAYROLL_CUTOFF_DAY } from './types.ts';

export const DEFAULT_REGION_OPTIONS = {
  seed: 1,
  months: 12,
  startPeriod: '2026-01',
  // Pledges that just carry the enrolled workers, so losing the largest agency is felt (docs/demo-story.md).
  // The size keeps `npm start` under 2 minutes on a 2-core machine; the story is the same at any size.
  donors: 900,
  workers: 900,
  agencies: 24,
  // The largest agency is silent May-July, the grant arrives in June (docs/demo-story.md).
  story: { stopAfter: 4, returnAt: 8, grantIn: 6 },
} as const satisfies Required<SyntheticRegionOptions>;

/** Workers leave (move, die, find formal work) in this month of the run (1-based), or the last one. */
const EXIT_MONTH = 7;

export function generateSyntheticRegion(options: SyntheticRegionOptions = {}): SyntheticRegion {
  const opts = { ...DEFAULT_REGION_OPTIONS, ...options };
  checkOptions(opts);
  const pool = REGENCY;
  const rng = makeRng(opts.seed);
  const periods: Period[] = Array.from({ length: opts.months }, (_, i) => addMonths(opts.startPeriod, i));

  const agencies = makeAgencies(opts.agencies, opts.donors);
  const plainDonors = makeDonors(rng.fork('donors'), agencies, periods);
  const plainWorkers = makeWorkers(rng.fork('workers'), opts.workers, periods);
  const exitMonth = periods[Math.min(EXIT_MONTH, periods.length) - 1] as Period;
  const { workers, donors } = addExitsAndEarmarks(
    rng.fork('earmarks'),
    plainWorkers,
    plainDonors,
    opts.startPeriod,
    exitMonth,
  );

  const payroll = makePayrollScenario(rng.fork('payroll'), pool, periods, agencies, donors, opts.story);
  const grant = makeGrantDrop(pool, periods, workers.length, opts.story.grantIn);
  const all = [...payroll.drops, ...makeWorkerDrops(pool, periods, workers), grant.drop];

  const months = periods.map((period) => ({
    period,
    drops: all.filter((d) => d.deliverOn.startsWith(period)).sort(byDelivery),
  }));
  const { drops: _drops, ...expectedPayroll } = payroll;
  return {
    pool,
    poolName: regionName(pool) ?? pool,
    periods,
    agencies,
    donors,
    workers,
    months,
    expected: { ...expectedPayroll, grants: grant.grants },
  };
}

/** By arrival day; an original file stays before its same-day correction (stable sort), then by key. */
function byDelivery(a: FileDrop, b: FileDrop): number {
  if (a.deliverOn !== b.deliverOn) return a.deliverOn < b.deliverOn ? -1 : 1;
  if (a.key === b.key) return 0;
  return a.key < b.key ? -1 : 1;
}

function checkOptions(o: Required<SyntheticRegionOptions>): void {
  const positive = (name: string, v: number, max: number): void => {
    if (!Number.isInteger(v) || v < 1 || v > max)
      throw new RangeError(`${name} must be an integer 1..${max}, got ${v}`);
  };
  positive('months', o.months, 120);
  positive('agencies', o.agencies, 500);
  positive('donors', o.donors, 1_000_000);
  if (!Number.isInteger(o.workers) || o.workers < 0 || o.workers > 70_000) {
    throw new RangeError(`workers must be an integer 0..70000, got ${o.workers}`);
  }
  const { stopAfter, returnAt, grantIn } = o.story;
  if (![stopAfter, returnAt, grantIn].every((m) => Number.isInteger(m) && m >= 1) || returnAt <= stopAfter) {
    throw new RangeError(
      `story months must be integers >= 1 with stopAfter < returnAt, got ${JSON.stringify(o.story)}`,
    );
  }
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!isPeriod(o.startPeriod)) throw new RangeError(`startPeriod must be YYYY-MM, got ${o.startPeriod}`);
}
