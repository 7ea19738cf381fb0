/**
 * Effective-dated contribution rates per tier. Rates change by regulation, so they live in
 * shared/config/rates.json, never in code; an entry applies from its month until the next entry.
 */
import { z } from 'zod';
import rawRates from '../config/rates.json' with { type: 'json' };
import { RateTableError } from './errors.ts';
import { type Period, type Rupiah, TIERS, type Tier } from './model.ts';
import { comparePeriods, isPeriod } from './period.ts';

const rateEntrySchema = z.strictObject({
  effectiveFrom: z.string().refine(isPeriod, 'effectiveFrom must be a YYYY-MM month'),
  source: z.string().min(1, 'each entry must say which regulation it comes from'),
  // A record keyed by the tier enum is exhaustive in zod 4: a missing or unknown tier fails.
  rates: z.record(z.enum(TIERS), z.number().int('rates are integer rupiah').positive()),
});

const rateTableSchema = z
  .array(rateEntrySchema)
  .min(1, 'the rate table needs at least one entry')
  .superRefine((entries, ctx) => {
    for (let i = 1; i < entries.length; i++) {
      const prev = entries[i - 1];
      const cur = entries[i];
      if (prev && cur && isPeriod(prev.effectiveFrom) && isPeriod(cur.effectiveFrom)) {
        if (comparePeriods(prev.effectiveFrom, cur.effectiveFrom) >= 0) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'effectiveFrom'],
            message: `entries must be sorted by effectiveFrom without duplicates (${prev.effectiveFrom} then ${cur.effectiveFrom})`,
          });
        }
      }
    }
  });

export type RateEntry = {
  readonly effectiveFrom: Period;
  readonly source: string;
  readonly rates: Readonly<Record<Tier, Rupiah>>;
};
export type RateTable = { readonly entries: readonly RateEntry[] };

/** Validates a rate table config; throws RateTableError saying exactly what is wrong. */
export function loadRateTable(json: unknown): RateTable {
  const parsed = rateTableSchema.safeParse(json);
  if (!parsed.success) {
    throw new RateTableError(`invalid rate table:\n${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return {
    entries: parsed.data.map((entry) => Object.freeze({ ...entry, rates: Object.freeze(entry.rates) })),
  };
}

/** The monthly contribution of `tier` for coverage `month`. Throws if no entry covers the month. */
export function rateFor(table: RateTable, tier: Tier, month: Period): Rupiah {
  if (!isPeriod(month)) throw new RateTableError(`not a coverage month: ${String(month).slice(0, 20)}`);
  let found: RateEntry | undefined;
  for (const entry of table.entries) {
    if (comparePeriods(entry.effectiveFrom, month) > 0) break;
    found = entry;
  }
  if (!found)
    throw new RateTableError(`no rate for ${month}: the table starts at ${table.entries[0]?.effectiveFrom}`);
  const rate = found.rates[tier];
  if (rate === undefined) throw new RateTableError(`no rate for tier ${String(tier)} in ${month}`);
  return rate;
}

/** The table shipped in shared/config/rates.json. */
export const defaultRateTable: RateTable = loadRateTable(rawRates);
