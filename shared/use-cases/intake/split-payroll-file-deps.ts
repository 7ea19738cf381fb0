/**
 * What splitting a payroll file (split-payroll-file.ts) needs and what it reports: kept apart so its
 * steps (payroll-replacement.ts, payroll-hold.ts) and the handler read them without importing the use case.
 */
import type { AgencyRegistry } from '#domain/ports/agency-registry.ts';
import type { Clock } from '#domain/ports/clock.ts';
import type { ColumnMappings } from '#domain/ports/column-mappings.ts';
import type { DeductionQueue } from '#domain/ports/deduction-queue.ts';
import type { FileRegistry } from '#domain/ports/file-registry.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import type { IntakeOutcome } from './intake-outcome.ts';

export type SplitPayrollFileDeps = {
  readonly objects: ObjectStore;
  readonly files: FileRegistry;
  readonly agencies: AgencyRegistry;
  readonly queue: DeductionQueue;
  readonly clock: Clock;
  readonly reportsBucket: string;
  /** Agencies' saved column mappings (docs/intake.md); without it every file is read by the built-in names. */
  readonly columnMappings?: ColumnMappings;
};

export type SplitOutcome = IntakeOutcome & { readonly chunks: number };
