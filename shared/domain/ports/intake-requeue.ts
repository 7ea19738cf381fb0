import type { ObjectRef } from './object-store.ts';

/**
 * Hands a recorded intake object back to its intake function, as its S3 event would
 * (docs/intake.md#pending-confirmation): after a person decides on a pending payroll version, the
 * splitter applies (or announces) it. `upload` is the sequencer of the upload the file was recorded
 * from, so the splitter sees the same upload, not a DUPLICATE.
 */
export interface IntakeRequeue {
  requeue(ref: Omit<ObjectRef, 'bucket'>): Promise<void>;
}
