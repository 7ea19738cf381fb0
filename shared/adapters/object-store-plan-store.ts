import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PlanEntry } from '#domain/allocation-policy.ts';
import { tierSchema } from '#domain/messages.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { PlanStore } from '#domain/ports/allocation/plan-store.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';

/**
 * Allocation plans as NDJSON objects, one per chunk, under `plans/<runId>/<planId>/`.
 * Each plan gets a fresh id: two invocations racing to start the same run write two plans, and only the
 * one named by the run record that won the conditional create is ever read, so a plan is never mixed.
 */
export class ObjectStorePlanStore implements PlanStore {
  constructor(
    private readonly objects: ObjectStore,
    private readonly bucket: string,
  ) {}

  async write(_pool: PoolCode, _month: Period, runId: string, chunks: readonly (readonly PlanEntry[])[]) {
    const planKey = `plans/${runId}/${randomUUID()}`;
    let i = 0;
    for (const chunk of chunks) {
      const body = chunk.map((e) => JSON.stringify(e)).join('\n');
      await this.objects.put(this.bucket, chunkKey(planKey, i++), body, 'application/x-ndjson');
    }
    return planKey;
  }

  async readChunk(planKey: string, index: number): Promise<PlanEntry[]> {
    const text = await this.objects.getText(this.bucket, chunkKey(planKey, index));
    return text === '' ? [] : text.split('\n').map((line) => planEntrySchema.parse(JSON.parse(line)));
  }
}

const stateSchema = z.object({
  status: z.enum(['WAITLISTED', 'ACTIVE', 'LAPSED']),
  paidThrough: z.string().optional(),
  unpaidStreak: z.number().int().min(0),
});

const planEntrySchema: z.ZodType<PlanEntry> = z.object({
  nik: z.string(),
  tier: tierSchema,
  enrolledOn: z.string(),
  before: stateSchema,
  earmarked: z.boolean(),
  fundedEarlier: z.boolean(),
  name: z.string().optional(),
  kpj: z.string().optional(),
  priority: z.enum(['EARMARK', 'ACTIVE', 'WAITLIST']),
});

const chunkKey = (planKey: string, index: number) =>
  `${planKey}/chunk-${String(index).padStart(5, '0')}.ndjson`;
