import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbCreditLedger } from '#shared/adapters/dynamodb-credit-ledger.ts';
import type { DemoResult } from '#shared/demo/demo-result.ts';
import { formatDemoSummary } from '#shared/demo/demo-summary.ts';
import { runDemo } from '#shared/demo/run-demo.ts';
import { generateSyntheticRegion } from '#shared/demo/synthetic-region.ts';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';

/**
 * A shortened `npm start` (2 months, a small region) through the real pipeline, then its summary
 * checked against the ledger it left in the data dir, read back by a fresh local cloud.
 */
const options = { seed: 3, months: 2, donors: 150, workers: 80, agencies: 5 } as const;
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
    } finally {
      await cloud.stop();
    }
  });
});
