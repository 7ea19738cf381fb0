import { z } from 'zod';
import { TIERS } from '#domain/model.ts';
import { poolCodeSchema } from '#domain/pools.ts';

/**
 * Bodies of the messages that cross queues. Producers and consumers both parse with these, so a
 * message that does not match is a poison message caught at the boundary, never a crash deep inside.
 */

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'period must be YYYY-MM');
// The one pool-code schema (pools.ts): a Kemendagri code of a real province, no zero groups.
const pool = poolCodeSchema;
const agency = z.string().regex(/^[A-Za-z0-9.-]{1,40}$/, 'agency must match [A-Za-z0-9.-]{1,40}');
const rupiah = z.number().int().safe();

/** Entries per deduction chunk: ~50 rows keeps a message far under 256 KB and amortises the summary write. */
export const DEDUCTION_CHUNK_SIZE = 50;

export const deductionChunkSchema = z.object({
  chunkId: z.string().min(1).max(120),
  fileId: z.string().min(1).max(80),
  kind: z.enum(['DEDUCTION', 'CORRECTION']),
  pool,
  period,
  agency,
  entries: z
    .array(
      z.object({
        nip: z.string().regex(/^\d{18}$/),
        // DEDUCTION: > 0. CORRECTION: signed difference of this NIP + worker row.
        amount: rupiah,
        // Earmarked worker NIK: with the NIP, the row's identity ('' only in legacy corrections).
        workerNik: z.union([z.string().regex(/^\d{16}$/), z.literal('')]).optional(),
        // CORRECTION: the NIP + worker row is gone from the new version (its earmark ends).
        ended: z.literal(true).optional(),
        line: z.number().int().nonnegative(),
      }),
    )
    .min(1)
    .max(DEDUCTION_CHUNK_SIZE),
});
export type DeductionChunkMessage = z.infer<typeof deductionChunkSchema>;

/**
 * What asked for an allocation step (docs/allocation-liveness.md): a schedule's occurrence, an operator's
 * request, the sweeper, or the continuation of a run. Requests with a cause already recorded on a run of
 * the month are duplicates and change nothing.
 */
export const allocationCauseSchema = z
  .string()
  .regex(/^(schedule|operator|sweep|continue):[A-Za-z0-9:./_-]{1,120}$/, 'cause must be <kind>:<id>');

export const allocationJobSchema = z.discriminatedUnion('kind', [
  // From the monthly schedule (scheduledTime) or an operator (`cause`, e.g. `sertakan allocate --all-pools`).
  z.object({
    kind: z.literal('FAN_OUT'),
    scheduledTime: z.string().optional(),
    month: period.optional(),
    cause: allocationCauseSchema.optional(),
    // A continuation of a paged fan-out: the last pool code the previous page sent a job for.
    after: pool.optional(),
  }),
  z.object({ kind: z.literal('ALLOCATE'), pool, month: period, cause: allocationCauseSchema.optional() }),
  // Apportion a month's shares again: its credits changed after its run (docs/finance-queries.md).
  z.object({ kind: z.literal('APPORTION'), pool, month: period }),
  // The sweeper's schedule: find runs that stopped moving and put them back in motion.
  // One page of the pool directory per step; `after` continues after that pool code.
  z.object({ kind: z.literal('SWEEP'), scheduledTime: z.string().optional(), after: pool.optional() }),
]);
export type AllocationJob = z.infer<typeof allocationJobSchema>;

export const scanJobSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('FAN_OUT'),
    scheduledTime: z.string().optional(),
    date: z.string().optional(),
    // A continuation of a paged fan-out: the last pool code the previous page sent a job for.
    after: pool.optional(),
  }),
  z.object({ kind: z.literal('SCAN'), pool, date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
]);
export type ScanJob = z.infer<typeof scanJobSchema>;

export const tierSchema = z.enum(TIERS);
