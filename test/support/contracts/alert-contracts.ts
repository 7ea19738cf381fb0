import { describe, expect, it } from 'vitest';
import { type Alert, alertId, emptyCounts } from '#domain/alerts.ts';
import type { AlertLog } from '#domain/ports/alerts/alert-log.ts';
import type { DigestLog, DigestRecord } from '#domain/ports/alerts/digest-log.ts';
import type { ScanState, ScanStateStore } from '#domain/ports/alerts/scan-state-store.ts';
import { workerNik } from '../../unit/ingest/chunk-factory.ts';

/**
 * The behaviour every AlertLog, ScanStateStore and DigestLog must share: run against the in-memory
 * fakes (test/unit/contracts) and the DynamoDB adapter on the emulator (test/integration/contracts).
 */

const atRisk = (n: number, over: Partial<Alert> = {}): Alert => ({
  id: alertId('AT_RISK', '15.04', workerNik(n), '2026-04'),
  kind: 'AT_RISK',
  pool: '15.04',
  month: '2026-04',
  subject: workerNik(n),
  subjectType: 'WORKER',
  severity: 'WARNING',
  daysUntilDue: 10,
  details: { tier: 'JKK_JKM', shortfall: 16_800 },
  ...over,
});

export const describeAlertLogContract = (name: string, make: () => Promise<AlertLog>) => {
  describe(`AlertLog contract: ${name}`, () => {
    it('writes each alert once; a later sighting keeps the first date and carries today’s details', async () => {
      const log = await make();

      const day1 = await log.record([atRisk(1), atRisk(2)], '2026-04-05');
      const day2 = await log.record(
        [atRisk(3), atRisk(1, { severity: 'CRITICAL', daysUntilDue: 4 }), atRisk(2)],
        '2026-04-11',
      );

      expect(day1).toEqual([
        { ...atRisk(1), firstSeen: '2026-04-05' },
        { ...atRisk(2), firstSeen: '2026-04-05' },
      ]);
      expect(day2).toEqual([
        { ...atRisk(3), firstSeen: '2026-04-11' },
        { ...atRisk(1, { severity: 'CRITICAL', daysUntilDue: 4 }), firstSeen: '2026-04-05' },
        { ...atRisk(2), firstSeen: '2026-04-05' },
      ]);
    });

    it('keeps the same alert id of two pools apart, and records past 100 alerts in one call', async () => {
      const log = await make();
      const many = Array.from({ length: 130 }, (_, i) => atRisk(i));
      await log.record(many.slice(0, 60), '2026-04-05');

      const out = await log.record([...many, atRisk(1, { pool: '15.05' })], '2026-04-06');

      expect(out.filter((a) => a.firstSeen === '2026-04-05')).toHaveLength(60);
      expect(out.filter((a) => a.firstSeen === '2026-04-06')).toHaveLength(71);
      expect(out.at(-1)).toEqual({ ...atRisk(1, { pool: '15.05' }), firstSeen: '2026-04-06' });
    });
  });
};

const scanState = (step: number, over: Partial<ScanState> = {}): ScanState => ({
  pool: '15.04',
  date: '2026-04-05',
  step,
  phase: 'COUNT',
  context: {
    coming: '2026-04',
    daysUntilDue: 10,
    moneyForComing: 100_800,
    openingBalance: 50_400,
    expected: [50_400, 50_400],
    runwayAlertMonths: 2,
  },
  groups: [],
  boundaryLeft: 0,
  poolAlerts: [],
  counts: emptyCounts(),
  critical: 0,
  urgent: [],
  parts: 0,
  workersScanned: step * 10,
  ...over,
});

export const describeScanStateStoreContract = (name: string, make: () => Promise<ScanStateStore>) => {
  describe(`ScanStateStore contract: ${name}`, () => {
    it('creates the scan of a pool and date once, and moves it only from the step it is at', async () => {
      const states = await make();

      const created = [
        await states.create(scanState(0)),
        await states.create(scanState(0, { phase: 'ALERT' })),
      ];
      const moves = [
        await states.advance(scanState(1, { token: 'nik-9' }), 0),
        await states.advance(scanState(1, { phase: 'ALERT' }), 0),
        await states.advance(scanState(2, { phase: 'FINAL', csvKey: 'alerts/x.csv' }), 1),
        await states.advance(scanState(1, { date: '2026-04-06' }), 0),
      ];

      expect(created).toEqual(['CREATED', 'EXISTS']);
      expect(moves).toEqual(['COMMITTED', 'CONFLICT', 'COMMITTED', 'CONFLICT']);
      expect(await states.get('15.04', '2026-04-05')).toEqual(
        scanState(2, { phase: 'FINAL', csvKey: 'alerts/x.csv' }),
      );
      expect(await states.get('15.04', '2026-04-06')).toBeUndefined();
    });
  });
};

export const describeDigestLogContract = (name: string, make: () => Promise<DigestLog>) => {
  describe(`DigestLog contract: ${name}`, () => {
    it('records one digest per pool and day; the second is refused and the first kept', async () => {
      const digests = await make();
      const digest: DigestRecord = {
        pool: '15.04',
        date: '2026-04-05',
        messageId: 'm-1',
        csvKey: 'alerts/15.04/2026-04-05.csv',
        counts: emptyCounts(),
        sentAt: '2026-04-05T00:10:00.000Z',
      };

      const outcomes = [await digests.record(digest), await digests.record({ ...digest, messageId: 'm-2' })];

      expect(outcomes).toEqual(['RECORDED', 'EXISTS']);
      expect(await digests.get('15.04', '2026-04-05')).toEqual(digest);
      expect(await digests.get('15.04', '2026-04-06')).toBeUndefined();
    });
  });
};
