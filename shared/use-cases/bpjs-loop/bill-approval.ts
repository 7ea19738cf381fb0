import {
  approvalRefusal,
  type BillStatus,
  billStatusOf,
  releaseRefusal,
  requireOperatorId,
} from '#domain/bill-approval.ts';
import { ConflictError } from '#domain/errors.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { BillApproval, BillBook, BillDecision } from '#domain/ports/bill-book.ts';
import type { Clock } from '#domain/ports/clock.ts';

export type BillApprovalDeps = {
  readonly log: Pick<AllocationLog, 'listRuns'>;
  readonly book: BillBook;
  readonly clock: Clock;
};

export type BillActionRequest = { readonly pool: PoolCode; readonly month: Period; readonly by: string };

/**
 * The one place a finance user's decision on a bill is written (the bill's record in the ledger table).
 * Every approval and release goes through here: an audit trail of people's actions hooks in here.
 */
export async function recordBillDecision(
  book: BillBook,
  decision:
    | {
        readonly kind: 'APPROVE';
        readonly pool: PoolCode;
        readonly month: Period;
        readonly approval: BillApproval;
      }
    | {
        readonly kind: 'RELEASE';
        readonly pool: PoolCode;
        readonly month: Period;
        readonly version: string;
        readonly release: BillDecision;
      },
): Promise<'RECORDED' | 'CONFLICT'> {
  return decision.kind === 'APPROVE'
    ? book.recordApproval(decision.pool, decision.month, decision.approval)
    : book.recordRelease(decision.pool, decision.month, decision.version, decision.release);
}

/**
 * Bill approval, maker and checker (docs/bpjs-loop.md#bill-approval): `status` reads a month's bill
 * state; `approve` records the first finance user's approval of the prepared bill; `release` records a
 * second, different finance user's release for payment. Refusals are ConflictError with a code
 * (BILL_NOT_PREPARED, BILL_ALREADY_APPROVED, SAME_USER_SECOND_APPROVAL, BILL_NOT_APPROVED,
 * BILL_ALREADY_RELEASED, BILL_CHANGED); a bad operator id is ValidationError (OPERATOR_ID_INVALID).
 * A lost race (the store's condition failed) is read again and refused with the winner's decision.
 */
export function makeBillApproval(deps: BillApprovalDeps) {
  /** The bill of pool+month; `known.runs` are the pool's runs when the caller has just read them. */
  async function status(
    pool: PoolCode,
    month: Period,
    known?: { readonly runs: readonly RunRecord[] },
  ): Promise<BillStatus> {
    const runs = known?.runs ?? (await deps.log.listRuns(pool));
    const last = runs.filter((r) => r.month === month).at(-1);
    const record = last ? await deps.book.get(pool, month, last.runId) : undefined;
    return billStatusOf(pool, month, runs, () => record);
  }

  async function approve(req: BillActionRequest): Promise<BillStatus> {
    const by = requireOperatorId(req.by);
    const before = await status(req.pool, req.month);
    const refused = approvalRefusal(before, by);
    if (refused) throw refused;
    const approval: BillApproval = {
      by,
      at: deps.clock.now().toISOString(),
      version: before.version ?? '',
      total: before.total,
      workers: before.workers,
    };
    const out = await recordBillDecision(deps.book, {
      kind: 'APPROVE',
      pool: req.pool,
      month: req.month,
      approval,
    });
    const after = await status(req.pool, req.month);
    if (out === 'CONFLICT') throw approvalRefusal(after, by) ?? raced(after);
    return after;
  }

  async function release(req: BillActionRequest): Promise<BillStatus> {
    const by = requireOperatorId(req.by);
    const before = await status(req.pool, req.month);
    const refused = releaseRefusal(before, by);
    if (refused) throw refused;
    const approved = before.record?.approved;
    if (approved && (approved.total !== before.total || approved.workers !== before.workers))
      throw new ConflictError(
        `tagihan ${req.pool} ${req.month} berubah sejak disetujui (${approved.total} → ${before.total}); setujui ulang / the bill changed since its approval`,
        { code: 'BILL_CHANGED' },
      );
    const version = before.version ?? '';
    const out = await recordBillDecision(deps.book, {
      kind: 'RELEASE',
      pool: req.pool,
      month: req.month,
      version,
      release: { by, at: deps.clock.now().toISOString() },
    });
    const after = await status(req.pool, req.month);
    if (out === 'CONFLICT') throw releaseRefusal(after, by) ?? raced(after);
    return after;
  }

  return { status, approve, release };
}

const raced = (s: BillStatus) =>
  new ConflictError(
    `tagihan ${s.pool} ${s.month} berubah saat ini; coba lagi / the bill moved meanwhile, try again`,
    {
      code: 'BILL_MOVED',
    },
  );
