import { z } from 'zod';
import type { Period, PoolCode } from '#domain/model.ts';
import { TIERS } from '#domain/model.ts';
import { type AllocationEntry, RUN_STATUSES } from '#domain/ports/allocation/run-record.ts';

/**
 * # Allocation side of the `ledger` table
 *
 * | item | pk | sk | attributes |
 * |---|---|---|---|
 * | allocation | `ALLOC#<pool>#<month>` | `<nik>` | tier, amount, priority, runId, name, kpj?, allocatedAt |
 * | run record | `RUN#<pool>` | `<month>#<seq, 3 digits>` | the whole RunRecord (cursor as a map) |
 *
 * One month of a pool is one partition, so the bill, the month's log and "was NIK funded in M" are one
 * Query or GetItem each. The key is pool+month+NIK: a worker is funded at most once per month (rule 2)
 * by a conditional PutItem, never by a read-then-write. No transactions, no GSI (each costs writes).
 */

type Item = Record<string, unknown>;

export const allocationKeys = {
  partition: (pool: PoolCode, month: Period): string => `ALLOC#${pool}#${month}`,
  runPartition: (pool: PoolCode): string => `RUN#${pool}`,
  runSort: (month: Period, seq: number): string => `${month}#${String(seq).padStart(3, '0')}`,
} as const;

const rupiah = z.number().int().safe();

export const allocationItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  tier: z.enum(TIERS),
  amount: rupiah,
  priority: z.enum(['EARMARK', 'ACTIVE', 'WAITLIST']),
  runId: z.string(),
  name: z.string(),
  kpj: z.string().optional(),
  allocatedAt: z.string(),
});

const cursorSchema = z.object({
  balance: rupiah,
  need: rupiah,
  funded: z.number().int(),
  allocated: rupiah,
  unfunded: z.number().int(),
  lapsed: z.number().int(),
  admitted: z.number().int(),
  waitlistSkipped: z.number().int(),
});

const creditTotalsSchema = z.object({ deductions: rupiah, corrections: rupiah, grants: rupiah });

export const runRecordSchema = z.object({
  pool: z.string(),
  month: z.string(),
  seq: z.number().int().positive(),
  runId: z.string(),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  completedAt: z.string().optional(),
  cause: z.string().optional(),
  updatedAt: z.string().optional(),
  commitToken: z.string().optional(),
  outputsAt: z.string().optional(),
  stalled: z.object({ at: z.string(), reason: z.string() }).optional(),
  aborted: z.object({ at: z.string(), by: z.string(), reason: z.string() }).optional(),
  uncovered: z.object({ chunk: z.number().int().nonnegative(), cursor: cursorSchema }).optional(),
  planKey: z.string(),
  chunkCount: z.number().int().nonnegative(),
  nextChunk: z.number().int().nonnegative(),
  credits: creditTotalsSchema,
  allocatedBefore: rupiah,
  previousClosing: rupiah,
  available: rupiah,
  horizonMonths: z.number().int().positive(),
  recurring: z.object({ sum: rupiah, periods: z.number().int().nonnegative() }),
  cursor: cursorSchema,
  workersPlanned: z.number().int().nonnegative(),
  fundedEarlier: z.number().int().nonnegative(),
  earmarksUnmatched: z.number().int().nonnegative(),
  lateEarmarks: z.array(z.object({ period: z.string(), earmarks: z.number().int().positive() })).optional(),
});

/** Item of `ALLOC#<pool>#<month>` back to the domain entry (pool and month come from the key). */
export const toAllocationEntry = (raw: unknown): AllocationEntry => {
  const item = allocationItemSchema.parse(raw);
  const [, pool = '', month = ''] = item.pk.split('#');
  return {
    pool,
    month,
    nik: item.sk,
    tier: item.tier,
    amount: item.amount,
    priority: item.priority,
    runId: item.runId,
    name: item.name,
    ...(item.kpj === undefined ? {} : { kpj: item.kpj }),
    allocatedAt: item.allocatedAt,
  };
};

export const allocationItem = (e: AllocationEntry): Item => ({
  pk: allocationKeys.partition(e.pool, e.month),
  sk: e.nik,
  tier: e.tier,
  amount: e.amount,
  priority: e.priority,
  runId: e.runId,
  name: e.name,
  ...(e.kpj === undefined ? {} : { kpj: e.kpj }),
  allocatedAt: e.allocatedAt,
});
