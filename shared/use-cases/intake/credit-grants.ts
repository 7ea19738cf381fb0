/**
 * Credit a grant file (`incoming/grants/<pool>/...`): each valid row is a lump sum (APBD/BKBK, CSR)
 * credited to the pool's ledger once (docs/design.md#grant-file, #conservation). The ledger is
 * idempotent by pool + reference, so a redelivered file credits nothing twice; a reference already
 * used with different money is a row rejection (REFERENCE_DUPLICATE), never a second credit.
 */
import { ConflictError } from '#domain/errors.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { CreditLedger } from '#domain/ports/credit-ledger.ts';
import type { FileRegistry } from '#domain/ports/file-registry.ts';
import type { ObjectRef, ObjectStore } from '#domain/ports/object-store.ts';
import { GRANT_COLUMNS, type GrantRow, validateGrantRows } from '#shared/intake/grant-rows.ts';
import type { IntakeOutcome } from './intake-outcome.ts';
import { type RowIntakeDeps, runRowIntake } from './row-intake.ts';

export type CreditGrantsDeps = {
  /** Registers the file's pool (docs/pools-and-areas.md). */
  readonly pools?: RowIntakeDeps['pools'];
  readonly objects: ObjectStore;
  readonly files: FileRegistry;
  readonly ledger: CreditLedger;
  readonly clock: Clock;
  readonly reportsBucket: string;
};

export const makeCreditGrants =
  (deps: CreditGrantsDeps) =>
  (ref: ObjectRef): Promise<IntakeOutcome> =>
    runRowIntake<GrantRow>(deps, ref, {
      kind: 'GRANTS',
      columns: GRANT_COLUMNS,
      validate: (table) => validateGrantRows(table, { now: deps.clock.now() }),
      amountOf: (row) => row.amount,
      apply: async (row, ctx) => {
        try {
          await deps.ledger.writeGrant(
            {
              pool: ctx.pool,
              reference: row.reference,
              source: row.source,
              period: row.period,
              amount: row.amount,
              ...(row.note === undefined ? {} : { note: row.note }),
              fileId: ctx.fileId,
              line: row.line,
            },
            new Date(ctx.recordedAt),
          );
          return { ok: true };
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          return {
            ok: false,
            rejection: {
              line: row.line,
              field: 'referensi',
              value: row.reference.slice(0, 80),
              reason: 'REFERENCE_DUPLICATE',
            },
          };
        }
      },
    });
