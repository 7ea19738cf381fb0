import { describe, expect, it } from 'vitest';
import type { FileVersion } from '#domain/ports/file-registry.ts';
import { findOutcome, nextRevision } from '#shared/cli/commands/submit.ts';
import { fileIdOf } from '#shared/use-cases/intake/intake-key.ts';

/**
 * `sertakan submit` tells a repeat of recorded bytes (shown as DUPLICATE) from a new version of them by
 * the registry before its PUT, naming versions as the intake does (payroll-arrival.ts): revision n+1
 * once revision n is superseded, withdrawn or expired.
 */
const KEY = 'incoming/payroll/15.04/2026-01/DINKES.csv';
const HASH = 'a'.repeat(64);

const registry = (statuses: readonly FileVersion['status'][]) => {
  const files = new Map<string, FileVersion>(
    statuses.map((status, revision) => {
      const fileId = fileIdOf(KEY, HASH, revision);
      return [fileId, { fileId, status } as FileVersion];
    }),
  );
  return { getFile: async (fileId: string) => files.get(fileId) };
};

describe('which revision an upload of the same bytes lands on', () => {
  it.each([
    [[], 0, undefined],
    [['ACCEPTED'], 0, 'ACCEPTED'],
    [['PROCESSING'], 0, 'PROCESSING'],
    [['SUPERSEDED'], 1, undefined],
    [['EXPIRED'], 1, undefined],
    [['WITHDRAWN', 'SUPERSEDED', 'PENDING_CONFIRMATION'], 2, 'PENDING_CONFIRMATION'],
  ] as const)('recorded %j: revision %i, holding %s', async (statuses, revision, status) => {
    // act
    const next = await nextRevision(registry(statuses), KEY, HASH);
    // assess
    expect(next.revision).toBe(revision);
    expect(next.file?.status).toBe(status);
  });

  it("waits for this upload's own revision, not an old version's outcome", async () => {
    // arrange: revision 0 expired before this upload; its own revision 1 is not recorded yet
    const files = registry(['EXPIRED']);
    const { revision } = await nextRevision(files, KEY, HASH);
    // act
    const outcome = await findOutcome(files, KEY, HASH, revision);
    // assess
    expect(outcome).toBeUndefined();
    expect(
      await findOutcome(registry(['EXPIRED', 'PENDING_CONFIRMATION']), KEY, HASH, revision),
    ).toMatchObject({
      status: 'PENDING_CONFIRMATION',
    });
  });
});
