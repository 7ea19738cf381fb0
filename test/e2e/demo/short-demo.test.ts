import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatNumberId } from '#domain/money.ts';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import type { DemoResult } from '#shared/demo/demo-result.ts';
import { formatDemoSummary } from '#shared/demo/demo-summary.ts';
import { runDemo } from '#shared/demo/run-demo.ts';
import { generateSyntheticRegion } from '#shared/demo/synthetic-region.ts';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';

/**
 * A shortened `npm start` through the real pipeline: 3 months of a small region with the story
 * compressed (the largest agency silent in month 2, the grant arriving in month 2, the agency back in
 * month 3), then its summary and story checked against the ledger it left in the data dir, read back
 * by a fresh local cloud.
 */
const options = {
  seed: 3,
  months: 3,
  donors: 100,
  workers: 150,
  agencies: 5,
  story: { stopAfter: 1, returnAt: 3, grantIn: 2 },
} as const;
const dataDir = mkdtempSync(join(tmpdir(), 'sertakan-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('sertakan demo, shortened', () => {
  it("prints a summary whose numbers are the ledger's", async () => {
    // act
    const result: DemoResult = await runDemo({ ...options, dataDir: join(dataDir, 'demo') });
    const summary = formatDemoSummary(result);
    // assess: the ledger, read independently after the run
    const cloud = await startLocalCloud({ stage: 'local', dataDir: join(dataDir, 'demo'), ddb: 'dynalite' });
    try {
      const { ddb } = cloud.clients;
      const credits = await new DynamoDbCreditLedger({
        ddb,
        tableName: cloud.names.tables.ledger,
      }).creditsByPeriod(result.pool);
      const log = new DynamoDbAllocationLog({ ddb, tableName: cloud.names.tables.ledger });
      const region = generateSyntheticRegion(options);
      const funded: Set<string>[] = [];
      for (const month of result.months) {
        const niks = new Set<string>();
        for await (const page of log.allocations(result.pool, month.month))
          for (const e of page) niks.add(e.nik);
        funded.push(niks);
      }
      for (const month of result.months) {
        const rec = month.reconciliation;
        expect(rec, `no reconciliation for ${month.month}`).toBeDefined();
        if (!rec) continue;
        let allocated = 0;
        let funded = 0;
        for await (const page of log.allocations(result.pool, month.month)) {
          allocated += page.reduce((s, e) => s + e.amount, 0);
          funded += page.length;
        }
        expect(rec.allocated).toBe(allocated);
        expect(rec.workers.funded).toBe(funded);
        expect(rec.balanced).toBe(true);
        // payroll credited for the month = the generator's valid rows after corrections
        const expected = region.expected.periods.find((p) => p.period === month.month);
        const ledger = credits.find((c) => c.period === month.month);
        expect((ledger?.deductions ?? 0) + (ledger?.corrections ?? 0)).toBe(expected?.validSum);
      }
      // conservation: what reached the runs is allocated or still in the pool (opening of month 1 is 0);
      // credits recorded after the last run wait for the next one
      const reachedRuns = result.months.reduce((s, m) => s + (m.reconciliation?.credits.total ?? 0), 0);
      const allocatedAll = result.months.reduce((s, m) => s + (m.reconciliation?.allocated ?? 0), 0);
      expect(result.months[0]?.reconciliation?.opening).toBe(0);
      expect(allocatedAll + (result.months.at(-1)?.reconciliation?.closing ?? Number.NaN)).toBe(reachedRuns);
      const totalCredits = credits.reduce((s, c) => s + c.deductions + c.corrections + c.grants, 0);
      expect(totalCredits).toBeGreaterThanOrEqual(reachedRuns);
      // every planted bad row was rejected, and only those
      const rejected = result.months.reduce((s, m) => s + m.rowsRejected, 0);
      expect(rejected).toBe(region.expected.badRows.filter((b) => b.key.includes('/payroll/')).length);
      // the summary says so, in Indonesian number format, and the HTML report exists
      expect(summary).toContain(`Baris ditolak / rows rejected:  ${rejected}`);
      expect(readFileSync(result.htmlReport, 'utf8')).toContain('data-chart="balance"');

      // The story, from the ledger: month 2 leaves workers of month 1 unfunded (arrears, one UNFUNDED
      // alert each), month 3 funds them again (lapses prevented), nobody lapses.
      const [m1, m2, m3] = funded as [Set<string>, Set<string>, Set<string>];
      const inArrears = [...m1].filter((nik) => !m2.has(nik));
      const coveredAgain = inArrears.filter((nik) => m3.has(nik));
      expect(inArrears.length).toBeGreaterThan(0);
      expect(result.months[1]?.reconciliation?.workers.unfunded).toBe(inArrears.length);
      expect(result.months.map((m) => m.recovered)).toEqual([0, 0, coveredAgain.length]);
      expect(coveredAgain.length).toBeGreaterThan(0);
      expect(result.months.map((m) => m.newlyLapsed)).toEqual([0, 0, 0]);
      const alerts = await new DynamoDbAlertLog({ ddb, tableName: cloud.names.tables.ledger }).listAlerts(
        result.pool,
      );
      const month2 = result.months[1]?.month ?? '';
      const unfundedAlerts = alerts.filter((a) => a.kind === 'UNFUNDED' && a.month === month2);
      expect(unfundedAlerts).toHaveLength(inArrears.length);
      const warnedEarly = alerts.filter((a) => a.kind === 'AT_RISK' && a.firstSeen < `${month2}-10`);
      expect(warnedEarly.length).toBeGreaterThan(0);
      expect(result.months[1]?.alerts.UNFUNDED).toBe(inArrears.length);
      // ... and the summary tells it with those numbers
      const stopped = region.expected.stoppedAgency?.agency ?? '?';
      expect(summary).toContain(`${stopped} (`);
      expect(summary).toContain('berhenti mengirim potongan');
      expect(summary).toContain(`${formatNumberId(inArrears.length)} pekerja tertunggak / in arrears`);
      expect(summary).toMatch(
        new RegExp(
          `Lapse dicegah / lapses prevented: +${formatNumberId(coveredAgain.length)} kali .*; 0 lapse`,
        ),
      );
      expect(summary).toContain(
        `Pekerja terlindungi / workers protected:   ${formatNumberId(new Set([...m1, ...m2, ...m3]).size)} pekerja`,
      );
      expect(summary).toMatch(/Uang cocok \/ money reconciled: .* 3\/3 bulan seimbang/);
    } finally {
      await cloud.stop();
    }
  });
});
