/**
 * The end of a payroll version held for a person (docs/intake.md#pending-confirmation): recorded EXPIRED
 * when nobody confirmed it in time, when the month moved before it was applied, or when a newer upload of
 * the month replaced it; and the daily sweep that records the first of these for versions nobody touches
 * again, so that no version says "waiting" past its time.
 */
import { ConflictError, TransientError } from '#domain/errors.ts';
import type { PoolCode } from '#domain/model.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';

/**
 * Records that a pending version will not be applied, with `note` saying why; a decision already on it
 * (a confirmation that came too late) stays, with the note. Returns the record as it now stands.
 * @throws TransientError when the record vanished between the write and the read (retry).
 */
export async function expire(
  files: Pick<FileRegistry, 'decide' | 'putFile' | 'getFile'>,
  file: FileVersion,
  now: Date,
  note: string,
): Promise<FileVersion> {
  const decision = { action: 'EXPIRED' as const, by: 'system', at: now.toISOString(), note };
  if (file.decision === undefined) {
    try {
      await files.decide(file.fileId, decision);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  } else {
    await files.putFile({ ...file, status: 'EXPIRED', decision: { ...file.decision, note } });
  }
  const after = await files.getFile(file.fileId);
  if (after === undefined) throw new TransientError(`file ${file.fileId} vanished; retrying`);
  return after;
}

/**
 * How far back the daily sweep looks for confirmation windows that ended: a version whose window ended
 * earlier was expired by an earlier day's sweep, or, if the sweep was down for a month, is expired at
 * its next touch.
 */
export const HELD_LOOKBACK_DAYS = 31;

/**
 * The daily sweep of one pool: every payroll version still PENDING_CONFIRMATION, undecided, whose
 * `expiresAt` passed in the last {@link HELD_LOOKBACK_DAYS} days is recorded EXPIRED ("nobody confirmed
 * it in time"), as the next touch would have done. One registry read of the pool's held versions
 * (`listHeldExpiring`). A confirmed version still held is left to the intake (it is being applied).
 * Repeated or concurrent sweeps change nothing more. Returns the file ids it expired.
 */
export function makeExpireHeldVersions(deps: {
  readonly files: Pick<FileRegistry, 'listHeldExpiring' | 'decide' | 'putFile' | 'getFile'>;
  readonly clock: Clock;
}) {
  return async (pool: PoolCode): Promise<string[]> => {
    const now = deps.clock.now();
    const at = now.toISOString();
    const since = new Date(now.getTime() - HELD_LOOKBACK_DAYS * 86_400_000).toISOString();
    const held = await deps.files.listHeldExpiring(pool, since, at);
    const expired: string[] = [];
    for (const v of held) {
      if (v.status !== 'PENDING_CONFIRMATION' || v.decision !== undefined) continue;
      if (v.pending === undefined || at <= v.pending.expiresAt) continue;
      await expire(deps.files, v, now, 'nobody confirmed it in time');
      expired.push(v.fileId);
    }
    return expired;
  };
}
