import { randomBytes } from 'node:crypto';
import { type Actor, type ActorRole, actorLabel, poolInScope } from '#domain/access.ts';
import { AccessDeniedError, ConflictError, NotFoundError, ValidationError } from '#domain/errors.ts';
import type { PoolCode } from '#domain/model.ts';
import type { PoolSettingsInput } from '#domain/pools.ts';
import type { AuditAction, AuditChannel, AuditKind, AuditTrail } from '#domain/ports/audit-trail.ts';
import type { ChangeKind, ChangeRequest, ChangeRequests } from '#domain/ports/change-requests.ts';
import type { Clock } from '#domain/ports/clock.ts';

/**
 * Four eyes on money that moves outside the monthly run (docs/access.md): aborting a run, re-running a
 * completed month, changing a pool's horizon, cutoff day or default package. One person asks (recorded
 * CHANGE_REQUESTED), another approves (CHANGE_APPROVED), and only then the change runs, through the
 * executor the approver's entry point supplies (recorded as RUN_ABORTED, MONTH_RERUN or POOL_CHANGED,
 * naming the approver, with the requester in its detail). The requester can never approve their own
 * request; an approver must have the right role and the pool in scope.
 */

/** Who may ask for each kind. */
export const REQUESTERS: Readonly<Record<ChangeKind, readonly ActorRole[]>> = {
  ABORT_RUN: ['ops', 'finance', 'operator'],
  RERUN_MONTH: ['ops', 'finance', 'operator'],
  POOL_SETTINGS: ['finance', 'operator', 'machine'],
};
/** Who may approve: a person answerable for the money (finance, or an operator at the CLI). */
export const APPROVERS: Readonly<Record<ChangeKind, readonly ActorRole[]>> = {
  ABORT_RUN: ['finance', 'operator'],
  RERUN_MONTH: ['finance', 'operator'],
  POOL_SETTINGS: ['finance', 'operator'],
};
/** Pool settings that move money (the sustainability horizon, the cutoff, the default package). */
export const GUARDED_SETTINGS = ['horizonMonths', 'fileCutoffDay', 'tierDefault'] as const;

const DONE_KIND: Readonly<Record<ChangeKind, AuditKind>> = {
  ABORT_RUN: 'RUN_ABORTED',
  RERUN_MONTH: 'MONTH_RERUN',
  POOL_SETTINGS: 'POOL_CHANGED',
};

/** Carries out an approved request; returns one line saying what it did. */
export type ChangeExecutor = (r: ChangeRequest, approver: Actor) => Promise<string>;

export type FourEyesDeps = {
  readonly requests: ChangeRequests;
  readonly trail: AuditTrail;
  readonly clock: Clock;
  /** What this entry point can carry out; a kind missing here is approved elsewhere (the CLI). */
  readonly execute: Partial<Record<ChangeKind, ChangeExecutor>>;
};

/** Where a call came from, for the trail. */
export type Origin = { readonly actor: Actor; readonly via: AuditChannel; readonly requestId: string };

/** What a person asks for: the request's own fields, before it has an id, an asker and a time. */
export type NewChange = Pick<ChangeRequest, 'kind' | 'pool' | 'month' | 'rerun' | 'settings' | 'reason'>;

const idOf = (at: Date): string =>
  `${at.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;

export function makeFourEyes(deps: FourEyesDeps) {
  const record = (o: Origin, action: Omit<AuditAction, 'actor' | 'via' | 'requestId'>) =>
    deps.trail.record({ ...action, actor: o.actor, via: o.via, requestId: o.requestId });
  const auditOf = (r: ChangeRequest) => ({
    pool: r.pool,
    ...(r.month === undefined ? {} : { month: r.month }),
    ref: r.id,
  });

  return {
    /**
     * Stores a request and records it. AccessDeniedError when the actor's role may not ask for this
     * kind or the pool is outside their scope; ValidationError (REASON_REQUIRED) without a reason.
     */
    async request(o: Origin, change: NewChange): Promise<ChangeRequest> {
      if (!REQUESTERS[change.kind].includes(o.actor.role) || !poolInScope(o.actor, change.pool))
        throw new AccessDeniedError('may not request this change');
      const reason = change.reason.trim();
      if (reason === '')
        throw new ValidationError('a change request needs a reason', { code: 'REASON_REQUIRED' });
      const now = deps.clock.now();
      const r: ChangeRequest = {
        ...change,
        reason,
        id: idOf(now),
        requestedBy: o.actor,
        requestedAt: now.toISOString(),
      };
      await deps.requests.create(r);
      await record(o, { kind: 'CHANGE_REQUESTED', ...auditOf(r), detail: { change: r.kind, reason } });
      return r;
    },

    /**
     * A second person approves request `id`, and the change runs. Errors: NotFoundError (CHANGE_UNKNOWN)
     * for an unknown id or one outside the approver's scope (the same answer); ValidationError
     * (SELF_APPROVAL) when the requester approves their own request; AccessDeniedError for a role that
     * may not approve; ConflictError (CHANGE_APPROVED_ALREADY) when someone approved it first;
     * ValidationError (APPROVE_ELSEWHERE) when this entry point cannot carry the kind out.
     * An approval whose change failed half way is retried by the same approver calling again.
     */
    async approve(o: Origin, id: string): Promise<{ request: ChangeRequest; outcome: string }> {
      const r = await deps.requests.get(id);
      if (r === undefined || !poolInScope(o.actor, r.pool))
        throw new NotFoundError('no such change request', { code: 'CHANGE_UNKNOWN' });
      if (r.requestedBy.id === o.actor.id)
        throw new ValidationError(
          'Permintaan tidak boleh disetujui oleh pengajunya sendiri: orang kedua harus menyetujui. / The requester cannot approve their own request: a second person must.',
          { code: 'SELF_APPROVAL' },
        );
      if (!APPROVERS[r.kind].includes(o.actor.role))
        throw new AccessDeniedError('this role may not approve this change');
      const execute = deps.execute[r.kind];
      if (execute === undefined)
        throw new ValidationError(`approve ${r.kind} with the CLI: sertakan change approve ${r.id}`, {
          code: 'APPROVE_ELSEWHERE',
        });
      if (r.done !== undefined)
        throw new ConflictError('this request was approved and carried out already', {
          code: 'CHANGE_APPROVED_ALREADY',
        });
      const retry = r.approval !== undefined && r.approval.by.id === o.actor.id;
      if (r.approval !== undefined && !retry)
        throw new ConflictError(`approved already by ${actorLabel(r.approval.by)}`, {
          code: 'CHANGE_APPROVED_ALREADY',
        });
      const at = deps.clock.now().toISOString();
      if (!retry) {
        if (!(await deps.requests.approve(r.id, { by: o.actor, at })))
          throw new ConflictError('someone approved it first', { code: 'CHANGE_APPROVED_ALREADY' });
        await record(o, { kind: 'CHANGE_APPROVED', ...auditOf(r), detail: { change: r.kind } });
      }
      const outcome = await execute(r, o.actor);
      await deps.requests.markDone(r.id, { at: deps.clock.now().toISOString(), outcome });
      await record(o, {
        kind: DONE_KIND[r.kind],
        ...auditOf(r),
        detail: { requestedBy: actorLabel(r.requestedBy), reason: r.reason, outcome },
      });
      return { request: { ...r, approval: r.approval ?? { by: o.actor, at } }, outcome };
    },

    /** Every request whose pool is in the actor's scope, oldest first. */
    async all(actor: Actor): Promise<ChangeRequest[]> {
      return (await deps.requests.list()).filter((r) => poolInScope(actor, r.pool));
    },

    /** Requests not yet carried out whose pool is in the actor's scope, oldest first. */
    async pending(actor: Actor): Promise<ChangeRequest[]> {
      return (await deps.requests.list()).filter((r) => r.done === undefined && poolInScope(actor, r.pool));
    },
  };
}

export type FourEyes = ReturnType<typeof makeFourEyes>;

/** The POOL_SETTINGS executor: sets the approved settings through pool administration. */
export const applyPoolSettings =
  (pools: { set(pool: PoolCode, s: PoolSettingsInput): Promise<unknown> }): ChangeExecutor =>
  async (r) => {
    if (r.settings === undefined)
      throw new ValidationError('no settings in this request', { code: 'CHANGE_EMPTY' });
    await pools.set(r.pool, r.settings);
    return `pool ${r.pool}: ${Object.entries(r.settings)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}`;
  };
