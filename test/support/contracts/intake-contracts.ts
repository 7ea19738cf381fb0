import { describe, expect, it } from 'vitest';
import type { ColumnMapping } from '#domain/column-mapping.ts';
import { ConflictError } from '#domain/errors.ts';
import type { ColumnMappings } from '#domain/ports/column-mappings.ts';
import type { FileRegistry, FileVersion } from '#domain/ports/file-registry.ts';
import type {
  EnrollmentHistoryEntry,
  WorkerEnrollment,
  WorkerRegistry,
} from '#domain/ports/worker-registry.ts';
import { workerNik } from '../../unit/ingest/chunk-factory.ts';
import { collectPages } from './collect.ts';

/**
 * The behaviour every FileRegistry and WorkerRegistry must share: run against the in-memory fakes
 * (test/unit/contracts) and the DynamoDB adapters on the emulator (test/integration/contracts).
 */

const file = (fileId: string, over: Partial<FileVersion> = {}): FileVersion => ({
  fileId,
  kind: 'PAYROLL',
  key: `incoming/payroll/15.04/2026-01/${fileId}.csv`,
  pool: '15.04',
  period: '2026-01',
  agency: 'DINKES',
  contentHash: `sha-${fileId}`,
  status: 'ACCEPTED',
  dataRows: 3,
  acceptedRows: 3,
  acceptedAmount: 75_000,
  rejectedRows: 0,
  rejectedAmount: 0,
  reportKey: `reports/${fileId}.csv`,
  receivedAt: '2026-01-03T01:00:00.000Z',
  ...over,
});

export const describeFileRegistryContract = (name: string, make: () => Promise<FileRegistry>) => {
  describe(`FileRegistry contract: ${name}`, () => {
    it('stores a file version whole and replaces it on the next put', async () => {
      const files = await make();
      const processing = file('f1', { status: 'PROCESSING', emitStarted: true, etag: '"abc"' });

      await files.putFile(processing);
      const first = await files.getFile('f1');
      await files.putFile(file('f1', { processedAt: '2026-01-03T01:05:00.000Z' }));

      expect(first).toEqual(processing);
      expect(await files.getFile('f1')).toEqual(file('f1', { processedAt: '2026-01-03T01:05:00.000Z' }));
      expect(await files.getFile('nope')).toBeUndefined();
    });

    it('keeps the sheet read and the footer ignored with the file version', async () => {
      const files = await make();
      const read = file('f9', { sheet: 'JAN 2026', footerLine: 11, footerRows: 6 });
      await files.putFile(read);
      expect(await files.getFile('f9')).toEqual(read);
    });

    it('advances a head only from the version read; a stale or absent expectation is a ConflictError', async () => {
      const files = await make();
      const next = {
        pool: '15.04',
        period: '2026-01',
        agency: 'DINKES',
        activeFileId: 'f1',
        contentHash: 'h1',
      };

      const created = await files.advanceHead(next, undefined);
      const createdAgain = files.advanceHead({ ...next, activeFileId: 'f9' }, undefined);
      await expect(createdAgain).rejects.toBeInstanceOf(ConflictError);
      const moved = await files.advanceHead({ ...next, activeFileId: 'f2', contentHash: 'h2' }, 1);
      await expect(files.advanceHead({ ...next, activeFileId: 'f3' }, 1)).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(
        files.advanceHead({ ...next, agency: 'DISDIK', activeFileId: 'f4' }, 3),
      ).rejects.toBeInstanceOf(ConflictError);

      expect(created).toEqual({ ...next, version: 1 });
      expect(moved).toEqual({ ...next, activeFileId: 'f2', contentHash: 'h2', version: 2 });
      expect(await files.getHead('15.04', '2026-01', 'DINKES')).toEqual(moved);
      expect(await files.getHead('15.04', '2026-01', 'DISDIK')).toBeUndefined();
    });

    it('claims a content once per pool and kind: a later file gets the first owner back', async () => {
      const registry = await make();
      const first = { fileId: 'c1', receivedAt: '2026-01-05T00:00:00.000Z' };
      expect(await registry.claimContent('15.04', 'GRANTS', 'sha-x', first)).toEqual(first);
      const later = { fileId: 'c2', receivedAt: '2026-01-06T00:00:00.000Z' };
      expect(await registry.claimContent('15.04', 'GRANTS', 'sha-x', later)).toEqual(first);
      expect(await registry.claimContent('15.04', 'WORKERS', 'sha-x', later)).toEqual(later);
      expect(await registry.claimContent('15.05', 'GRANTS', 'sha-x', later)).toEqual(later);
    });

    it('records one decision on a pending version; withdrawn sets the status; a second is a ConflictError', async () => {
      const registry = await make();
      await registry.putFile(file('p1', { status: 'PENDING_CONFIRMATION' }));
      await registry.putFile(file('p2', { status: 'PENDING_CONFIRMATION' }));
      const by = { by: 'bendahara@dinkes', at: '2026-02-04T01:00:00.000Z' };
      await registry.decide('p1', { action: 'CONFIRMED', ...by });
      expect(await registry.getFile('p1')).toMatchObject({
        status: 'PENDING_CONFIRMATION',
        decision: { action: 'CONFIRMED', ...by },
      });
      await expect(registry.decide('p1', { action: 'WITHDRAWN', ...by })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await registry.decide('p2', { action: 'WITHDRAWN', ...by, note: 'salah OPD' });
      expect(await registry.getFile('p2')).toMatchObject({
        status: 'WITHDRAWN',
        decision: { note: 'salah OPD' },
      });
      await registry.putFile(file('a1'));
      await expect(registry.decide('a1', { action: 'CONFIRMED', ...by })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(registry.decide('none', { action: 'CONFIRMED', ...by })).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it('lists the held versions whose window ends in a range, as they stand now, by expiry', async () => {
      const registry = await make();
      const held = (fileId: string, expiresAt: string, over: Partial<FileVersion> = {}) =>
        file(fileId, {
          status: 'PENDING_CONFIRMATION',
          pending: {
            baseFileId: 'a0',
            baseHeadVersion: 1,
            expiresAt,
            removedRows: 1,
            loweredRows: 0,
            addedRows: 0,
            raisedRows: 0,
            takenAway: 16_800,
            added: 0,
            delta: -16_800,
            totalBefore: 33_600,
            totalAfter: 16_800,
            diffKey: `reports/pending/${fileId}.csv`,
            lines: [],
          },
          ...over,
        });
      await registry.putFile(held('late', '2026-02-20T01:00:00.000Z'));
      await registry.putFile(held('p1', '2026-02-10T01:00:00.000Z'));
      await registry.putFile(held('other-pool', '2026-02-10T01:00:00.000Z', { pool: '15.05' }));
      await registry.putFile(file('applied'));
      await registry.decide('p1', {
        action: 'WITHDRAWN',
        by: 'bendahara@dinkes',
        at: '2026-02-05T00:00:00Z',
      });

      const ids = async (from: string, to: string) =>
        (await registry.listHeldExpiring('15.04', from, to)).map((f) => `${f.fileId}:${f.status}`);
      // `to` is inclusive: a window ending at that instant is in.
      expect(await ids('2026-02-01T00:00:00.000Z', '2026-02-10T01:00:00.000Z')).toEqual(['p1:WITHDRAWN']);
      expect(await ids('2026-02-01T00:00:00.000Z', '2026-02-28T00:00:00.000Z')).toEqual([
        'p1:WITHDRAWN',
        'late:PENDING_CONFIRMATION',
      ]);
      expect(await ids('2026-02-10T01:00:00.001Z', '2026-02-19T00:00:00.000Z')).toEqual([]);
    });

    it('marks a version superseded; a version never recorded is a ConflictError', async () => {
      const files = await make();
      await files.putFile(file('f1'));

      await files.markSuperseded('f1', 'f2', new Date('2026-01-04T00:00:00Z'));

      expect(await files.getFile('f1')).toEqual(file('f1', { status: 'SUPERSEDED', supersededBy: 'f2' }));
      await expect(files.markSuperseded('ghost', 'f2', new Date())).rejects.toBeInstanceOf(ConflictError);
    });

    it('lists a pool’s versions of a period, or of a kind without period, oldest first', async () => {
      const files = await make();
      const late = file('f-late', { receivedAt: '2026-01-05T00:00:00.000Z', agency: 'BAPPEDA' });
      const early = file('f-early', { receivedAt: '2026-01-02T00:00:00.000Z' });
      const { period: _period, agency: _agency, ...workersFile } = file('w1', { kind: 'WORKERS' });
      for (const f of [
        late,
        early,
        workersFile,
        file('f-feb', { period: '2026-02' }),
        file('f-other', { pool: '15.05' }),
      ])
        await files.putFile(f);

      expect((await files.listFiles('15.04', '2026-01')).map((f) => f.fileId)).toEqual(['f-early', 'f-late']);
      expect(await files.listFiles('15.04', 'WORKERS')).toEqual([workersFile]);
      expect(await files.listFiles('15.04', '2026-03')).toEqual([]);
    });
  });
};

const enrollment = (n: number, over: Partial<WorkerEnrollment> = {}): WorkerEnrollment => ({
  pool: '15.04',
  nik: workerNik(n),
  name: `Pekerja ${n}`,
  tier: 'JKK_JKM',
  occupation: 'petani',
  enrolledOn: '2026-01-01',
  updatedAt: '2026-01-02T00:00:00.000Z',
  fileId: 'w1',
  ...over,
});

const enrolled = (n: number, over: Partial<EnrollmentHistoryEntry> = {}): EnrollmentHistoryEntry => {
  const after = enrollment(n, over.pool === undefined ? {} : { pool: over.pool });
  return {
    pool: after.pool,
    nik: after.nik,
    change: 'ENROLLED',
    after,
    recordedAt: '2026-01-02T00:00:00.000Z',
    fileId: 'w1',
    line: n + 1,
    ...over,
  };
};

export const describeWorkerRegistryContract = (name: string, make: () => Promise<WorkerRegistry>) => {
  describe(`WorkerRegistry contract: ${name}`, () => {
    it('enrolls a NIK in one pool only; another pool’s first enrollment is a ConflictError', async () => {
      const workers = await make();

      await workers.recordChange(enrolled(1));
      await workers.recordChange(enrolled(1)); // a retried file: the same entry again
      const elsewhere = workers.recordChange(enrolled(1, { pool: '15.05' }));

      await expect(elsewhere).rejects.toBeInstanceOf(ConflictError);
      expect(await workers.findOwner(workerNik(1))).toEqual({ pool: '15.04' });
      expect(await workers.getEnrollment('15.04', workerNik(1))).toEqual(enrollment(1));
      expect(await workers.getEnrollment('15.05', workerNik(1))).toBeUndefined();
      expect(await workers.history('15.04', workerNik(1))).toEqual([enrolled(1)]);
    });

    it('records a group with one outcome per entry, in entry order, refusing only the conflicts', async () => {
      const workers = await make();
      await workers.recordChange(enrolled(2, { pool: '15.05' }));

      const outcomes = await workers.recordChanges([enrolled(1), enrolled(2), enrolled(3)]);

      expect(outcomes).toEqual(['RECORDED', 'CONFLICT', 'RECORDED']);
      expect(await workers.getEnrollment('15.04', workerNik(2))).toBeUndefined();
      expect(await workers.history('15.04', workerNik(2))).toEqual([]);
      expect((await workers.findOwners([workerNik(1), workerNik(2), workerNik(3), workerNik(4)])).size).toBe(
        3,
      );
    });

    it('keeps history oldest first: by time, then file, then line (line 10 after line 9)', async () => {
      const workers = await make();
      const exitedAfter = enrollment(1, { exitedOn: '2026-02-01', exitReason: 'MENINGGAL', fileId: 'w3' });
      const entries = [
        enrolled(1, { line: 10, fileId: 'w2', change: 'UPDATED', before: enrollment(1) }),
        enrolled(1),
        enrolled(1, { line: 9, fileId: 'w2', change: 'UPDATED', before: enrollment(1) }),
        enrolled(1, {
          recordedAt: '2026-02-02T00:00:00.000Z',
          fileId: 'w3',
          line: 2,
          change: 'EXITED',
          before: enrollment(1),
          after: exitedAfter,
        }),
      ];
      for (const e of entries) await workers.recordChange(e);

      const history = await workers.history('15.04', workerNik(1));

      expect(history.map((h) => `${h.fileId}:${h.line}`)).toEqual(['w1:2', 'w2:9', 'w2:10', 'w3:2']);
      expect(await workers.getEnrollment('15.04', workerNik(1))).toEqual(exitedAfter);
    });

    it('reads groups past 100 keys and lists a pool in NIK order, in pages of at most 1,000', async () => {
      const workers = await make();
      const all = Array.from({ length: 1_003 }, (_, i) => enrolled(i));
      for (let i = 0; i < all.length; i += 250) await workers.recordChanges(all.slice(i, i + 250));
      await workers.recordChange(enrolled(5_000, { pool: '15.05' }));

      const asked = [
        ...Array.from({ length: 150 }, (_, i) => workerNik(i)),
        workerNik(9_999),
        workerNik(5_000),
      ];
      const found = await workers.getEnrollments('15.04', asked);
      const owners = await workers.findOwners(asked);
      const pages = await collectPages(workers.listEnrollments('15.04'));

      expect(found.size).toBe(150);
      expect(found.get(workerNik(149))).toEqual(enrollment(149));
      expect(owners.size).toBe(151);
      expect(owners.get(workerNik(5_000))).toEqual({ pool: '15.05' });
      expect(pages.map((p) => p.length)).toEqual([1_000, 3]);
      const niks = pages.flat().map((e) => e.nik);
      expect(niks).toEqual([...niks].sort());
      expect(new Set(niks).size).toBe(1_003);
    }, 180_000); // ~2,000 writes: 17 s on dynalite, 39 s on DynamoDB Local on a busy 2-core machine
  });
};

const mapping = (over: Partial<ColumnMapping> = {}): ColumnMapping => ({
  pool: '15.04',
  agency: 'BPKAD',
  columns: { NIP: 'nip', NAMA: 'nama', POTSERTAKAN: 'jumlah' },
  periodFromKey: true,
  updatedBy: 'cli:bendahara',
  updatedAt: '2026-01-03T01:00:00.000Z',
  ...over,
});

/** The behaviour every ColumnMappings store must share (fake and DynamoDB adapter). */
export const describeColumnMappingsContract = (name: string, make: () => Promise<ColumnMappings>) => {
  describe(`ColumnMappings contract: ${name}`, () => {
    it('stores one mapping per pool and agency, replaces it, and removes it', async () => {
      const store = await make();
      expect(await store.get('15.04', 'BPKAD')).toBeUndefined();
      await store.put(mapping());
      await store.put(mapping({ pool: '15.05', columns: { KODE: 'nip' }, periodFromKey: false }));
      expect(await store.get('15.04', 'BPKAD')).toEqual(mapping());
      const changed = mapping({ columns: { NIP: 'nip', POT: 'jumlah', NM: 'nama' }, updatedBy: 'admin' });
      await store.put(changed);
      expect(await store.get('15.04', 'BPKAD')).toEqual(changed);
      await store.remove('15.04', 'BPKAD');
      expect(await store.get('15.04', 'BPKAD')).toBeUndefined();
      expect((await store.get('15.05', 'BPKAD'))?.columns).toEqual({ KODE: 'nip' });
    });
  });
};
