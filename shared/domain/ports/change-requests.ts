import type { Actor } from '#domain/access.ts';
import type { Period, PoolCode } from '#domain/model.ts';
import type { PoolSettingsInput } from '#domain/pools.ts';

/**
 * Money that moves outside the monthly run needs two people (docs/access.md, "Four eyes"): one asks,
 * another of the right role approves, and only then does it happen. What can be asked for:
 * - `ABORT_RUN`: abort pool P's running run of month M (then re-run it unless `rerun` is false);
 * - `RERUN_MONTH`: run a month again after it COMPLETED;
 * - `POOL_SETTINGS`: change a pool's commitment horizon, file cutoff day or default package.
 */
export const CHANGE_KINDS = ['ABORT_RUN', 'RERUN_MONTH', 'POOL_SETTINGS'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export type ChangeRequest = {
  /** `YYYYMMDD-<8 hex>`, given to the approver. */
  readonly id: string;
  readonly kind: ChangeKind;
  readonly pool: PoolCode;
  /** ABORT_RUN, RERUN_MONTH: the coverage month. */
  readonly month?: Period;
  /** ABORT_RUN: ask for a new run once aborted. */
  readonly rerun?: boolean;
  /** POOL_SETTINGS: the settings to set. */
  readonly settings?: PoolSettingsInput;
  readonly reason: string;
  readonly requestedBy: Actor;
  /** ISO instant. */
  readonly requestedAt: string;
  readonly approval?: { readonly by: Actor; readonly at: string };
  /** Set once the approved change was carried out: what it did, in a line. */
  readonly done?: { readonly at: string; readonly outcome: string };
};

export interface ChangeRequests {
  /** Stores a new request (its id is fresh: a conditional put). */
  create(r: ChangeRequest): Promise<void>;
  get(id: string): Promise<ChangeRequest | undefined>;
  /** Records the one approval: false when the request already has one (conditional put). */
  approve(id: string, approval: { by: Actor; at: string }): Promise<boolean>;
  /** Records that the approved change was carried out (once). */
  markDone(id: string, done: { at: string; outcome: string }): Promise<void>;
  /** Every request, oldest first (they are few: a handful a month). */
  list(): Promise<ChangeRequest[]>;
}
