/**
 * A person decides on a payroll version held PENDING_CONFIRMATION (docs/intake.md#pending-confirmation),
 * and asks to withdraw a file sent by mistake (docs/intake.md#withdrawal).
 *
 * - confirm: records who and when on the file's registry record, then hands the file back to the
 *   intake, which applies the difference that was shown (or, if the month changed since, records it
 *   EXPIRED: a confirmation is for the difference seen, never another one);
 * - withdraw a pending version: records who and when; nothing is applied (status WITHDRAWN);
 * - withdraw an applied version: writes a withdrawal request (`tarik` folder) that the intake turns
 *   into a pending version reversing every row; it is confirmed like any removal of money.
 * A pending version past its expiry is recorded EXPIRED on the first touch, and cannot be confirmed.
 * Confirming a version already confirmed but still held hands it back to the intake again (the first
 * hand-back may have been lost); the intake applies a version once, however often it is handed back.
 * `recordAction` is where every decision is written: one function, so an audit trail can be put behind it.
 */
import { ConflictError, NotFoundError } from '#domain/errors.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { FileDecision, FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';
import type { IntakeRequeue } from '#domain/ports/intake-requeue.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import { fileIdOf, payrollKey, sha256Hex } from './intake-key.ts';
import { withdrawalRequestText } from './withdrawal-request.ts';

export type DecidePendingDeps = {
  readonly files: Pick<FileRegistry, 'getFile' | 'decide' | 'getHead'>;
  readonly requeue: IntakeRequeue;
  readonly objects: Pick<ObjectStore, 'put'>;
  readonly intakeBucket: string;
  readonly clock: Clock;
};

export type PendingAction = 'CONFIRM' | 'WITHDRAW';

export type DecisionResult =
  /** The decision was recorded on this pending version (the intake announces and, if confirmed, applies it). */
  | { readonly kind: 'DECIDED'; readonly file: FileVersion; readonly decision: FileDecision }
  /** An applied version: a withdrawal request was written; its own version will wait for confirmation. */
  | { readonly kind: 'WITHDRAWAL_REQUESTED'; readonly key: string; readonly requestFileId: string };

/** Records a decision on a pending file (the one place decisions are written). */
export async function recordAction(
  files: Pick<FileRegistry, 'decide'>,
  fileId: string,
  decision: FileDecision,
): Promise<void> {
  await files.decide(fileId, decision);
}

const notPending = (file: FileVersion) =>
  new ConflictError(`file ${file.fileId} is ${file.status}, not waiting for a confirmation`, {
    code: 'FILE_NOT_PENDING',
  });

export type DecisionRequest = {
  readonly fileId: string;
  readonly action: PendingAction;
  readonly by: string;
  readonly reason?: string;
};

export type DecidePending = (req: DecisionRequest) => Promise<DecisionResult>;

export const makeDecidePending =
  (deps: DecidePendingDeps): DecidePending =>
  async (req) => {
    const file = await deps.files.getFile(req.fileId);
    if (file === undefined || file.kind !== 'PAYROLL')
      throw new NotFoundError(`no payroll file ${req.fileId}`);
    const at = deps.clock.now().toISOString();
    if (file.status === 'PENDING_CONFIRMATION' && file.decision === undefined) {
      if (file.pending !== undefined && at > file.pending.expiresAt) {
        await recordAction(deps.files, file.fileId, {
          action: 'EXPIRED',
          by: 'system',
          at,
          note: 'nobody confirmed it in time',
        });
        throw new ConflictError(`file ${file.fileId} expired at ${file.pending.expiresAt}`, {
          code: 'CONFIRMATION_EXPIRED',
        });
      }
      // A confirmation is for the difference shown: if the month moved since, it cannot be given.
      const head =
        file.period === undefined || file.agency === undefined
          ? undefined
          : await deps.files.getHead(file.pool, file.period, file.agency);
      if (
        req.action === 'CONFIRM' &&
        file.pending !== undefined &&
        (head?.activeFileId !== file.pending.baseFileId || head.version !== file.pending.baseHeadVersion)
      ) {
        await recordAction(deps.files, file.fileId, {
          action: 'EXPIRED',
          by: 'system',
          at,
          note: 'the month changed before it was confirmed',
        });
        throw new ConflictError(`the month of file ${file.fileId} changed since; upload it again`, {
          code: 'MONTH_CHANGED',
        });
      }
      const decision: FileDecision = {
        action: req.action === 'CONFIRM' ? 'CONFIRMED' : 'WITHDRAWN',
        by: req.by,
        at,
        ...(req.reason === undefined ? {} : { note: req.reason }),
      };
      await recordAction(deps.files, file.fileId, decision);
      await deps.requeue.requeue({
        key: file.key,
        ...(file.upload === undefined ? {} : { upload: file.upload }),
      });
      const after = (await deps.files.getFile(file.fileId)) ?? file;
      return { kind: 'DECIDED', file: after, decision };
    }
    // Confirmed, but still held: the hand-back to the intake was lost (the confirming call died between
    // the two writes). Confirming again hands it back again; the intake applies a version only once.
    if (
      req.action === 'CONFIRM' &&
      file.status === 'PENDING_CONFIRMATION' &&
      file.decision?.action === 'CONFIRMED'
    ) {
      await deps.requeue.requeue({
        key: file.key,
        ...(file.upload === undefined ? {} : { upload: file.upload }),
      });
      return { kind: 'DECIDED', file, decision: file.decision };
    }
    if (req.action === 'CONFIRM') throw notPending(file);
    return requestWithdrawal(deps, file, req);
  };

/** Writes the withdrawal request of an applied version; the intake holds it for confirmation. */
async function requestWithdrawal(
  deps: DecidePendingDeps,
  file: FileVersion,
  req: { readonly by: string; readonly reason?: string },
): Promise<DecisionResult> {
  if (file.period === undefined || file.agency === undefined) throw notPending(file);
  const head = await deps.files.getHead(file.pool, file.period, file.agency);
  if (
    head?.activeFileId !== file.fileId ||
    (file.status !== 'ACCEPTED' && file.status !== 'PARTIALLY_REJECTED')
  )
    throw new ConflictError(`file ${file.fileId} is not the active file of ${file.agency} ${file.period}`, {
      code: 'WITHDRAWAL_NOT_ACTIVE',
    });
  const reason = (req.reason ?? '').trim();
  if (reason.length < 3)
    throw new ConflictError('a withdrawal needs a reason', { code: 'WITHDRAWAL_REASON_MISSING' });
  const key = payrollKey(file.pool, file.period, file.agency, 'csv', { mode: 'WITHDRAWAL' });
  const body = withdrawalRequestText({ fileId: file.fileId, reason, by: req.by });
  await deps.objects.put(deps.intakeBucket, key, body, 'text/csv; charset=utf-8');
  return { kind: 'WITHDRAWAL_REQUESTED', key, requestFileId: fileIdOf(key, sha256Hex(body)) };
}
