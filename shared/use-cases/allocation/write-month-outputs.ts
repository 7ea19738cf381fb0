import type { Period, PoolCode } from '#domain/model.ts';
import type { AllocationLog } from '#domain/ports/allocation/allocation-log.ts';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import type { ObjectStore } from '#domain/ports/object-store.ts';
import { reconcileMonth } from '#domain/statements.ts';
import { BILL_HEADER, billRows, reconciliationTable, tableToCsv } from '#shared/csv/export.ts';
import { CSV_BOM, csvLine } from '#shared/csv/write-csv.ts';

/**
 * The month-end outputs of a completed allocation run, in the reports bucket:
 * - the BPJS bill: every funded worker of the month (KPJ, NIK, name, tier, amount) and the total that
 *   must reach BPJS by the 15th; full identities, because this file is what BPJS bills against;
 * - the reconciliation: opening + credits − allocations = closing, and the worker counts.
 * Both as CSV for Indonesian Excel (BOM, `;`, formula-safe cells) and JSON. Re-writing them after a
 * re-run of the month replaces them with the month's complete figures (same keys, all runs included).
 */

export const monthOutputKeys = (pool: PoolCode, month: Period) => ({
  billCsv: `reports/bpjs-bill/${pool}/${month}.csv`,
  billJson: `reports/bpjs-bill/${pool}/${month}.json`,
  reconciliationCsv: `reports/reconciliation/${pool}/${month}.csv`,
  reconciliationJson: `reports/reconciliation/${pool}/${month}.json`,
});

export function makeWriteMonthOutputs(deps: {
  readonly log: Pick<AllocationLog, 'listRuns' | 'allocations'>;
  readonly objects: ObjectStore;
  readonly bucket: string;
}) {
  /** `runs`: the pool's runs when the caller has just read them (finish-allocation-month.ts), else read here. */
  return async function writeMonthOutputs(
    run: Pick<RunRecord, 'pool' | 'month'>,
    runs?: readonly RunRecord[],
  ): Promise<void> {
    const { pool, month } = run;
    const keys = monthOutputKeys(pool, month);
    const reconciliation = reconcileMonth(runs ?? (await deps.log.listRuns(pool)), month);
    if (!reconciliation) return;

    let workers = 0;
    let total = 0;
    const unmasked = { unmasked: true };
    async function* billCsv(): AsyncIterable<string> {
      yield CSV_BOM + csvLine(BILL_HEADER);
      for await (const page of deps.log.allocations(pool, month)) {
        for (const row of billRows(page, unmasked)) yield csvLine(row);
        workers += page.length;
        total += page.reduce((sum, e) => sum + e.amount, 0);
      }
      yield csvLine(['TOTAL', workers, '', '', total]);
    }
    await deps.objects.putStream(deps.bucket, keys.billCsv, billCsv(), 'text/csv; charset=utf-8');

    async function* billJson(): AsyncIterable<string> {
      yield `{"pool":${JSON.stringify(pool)},"month":${JSON.stringify(month)},"workers":${workers},"total":${total},"items":[`;
      let first = true;
      for await (const page of deps.log.allocations(pool, month)) {
        for (const e of page) {
          const item = { kpj: e.kpj ?? null, nik: e.nik, name: e.name, tier: e.tier, amount: e.amount };
          yield (first ? '' : ',') + JSON.stringify(item);
          first = false;
        }
      }
      yield ']}';
    }
    await deps.objects.putStream(deps.bucket, keys.billJson, billJson(), 'application/json');

    const csv = tableToCsv(reconciliationTable(reconciliation));
    await deps.objects.put(deps.bucket, keys.reconciliationCsv, csv, 'text/csv; charset=utf-8');
    await deps.objects.put(
      deps.bucket,
      keys.reconciliationJson,
      JSON.stringify(reconciliation),
      'application/json',
    );
  };
}
