/** Test helper: runs a file through openTable and the matching row validator, and summarises it. */
import type { ReasonCode } from '#domain/reasons.ts';
import { checkControlTotals } from '#shared/intake/control-totals.ts';
import { FileRejectedError } from '#shared/intake/errors.ts';
import { GRANT_COLUMNS, validateGrantRows } from '#shared/intake/grant-rows.ts';
import { openTable } from '#shared/intake/open-table.ts';
import { PAYROLL_COLUMNS, validatePayrollRows } from '#shared/intake/payroll-rows.ts';
import type { RowOutcome } from '#shared/intake/row-kit.ts';
import { validateWorkerRows, WORKER_COLUMNS } from '#shared/intake/worker-rows.ts';

export type IntakeKind = 'payroll' | 'workers' | 'grants';
export const PAYROLL_CONTEXT = {
  pool: '15.04',
  period: '2026-01',
  agency: 'DINKES',
  today: new Date(),
} as const;

export type IntakeSummary =
  | { file: ReasonCode; line?: number }
  | { accepted: number; amount: number; rejected: [number, ReasonCode][] };

export type IntakeRun = {
  summary: IntakeSummary;
  /** Every outcome yielded before the end (or before a file-level rejection). */
  outcomes: RowOutcome<{ line: number; amount?: number }>[];
  dataRows?: number;
  format?: string;
  encoding?: string;
  /** XLSX: the sheet read. */
  sheet?: string;
  /** Payroll: what the rows after the sum row were (signature block, notes). */
  footer?: { line: number; rows: number };
};

export async function runIntake(
  kind: IntakeKind,
  source: AsyncIterable<Uint8Array>,
  fileName = `x.${kind}`,
): Promise<IntakeRun> {
  const outcomes: IntakeRun['outcomes'] = [];
  const run: Partial<IntakeRun> = { outcomes };
  try {
    const columns =
      kind === 'payroll' ? PAYROLL_COLUMNS : kind === 'workers' ? WORKER_COLUMNS : GRANT_COLUMNS;
    const table = await openTable(source, { fileName, columns });
    run.format = table.format;
    run.encoding = table.encoding;
    if (table.sheet !== undefined) run.sheet = table.sheet;
    const rows =
      kind === 'payroll'
        ? validatePayrollRows(table, PAYROLL_CONTEXT)
        : kind === 'workers'
          ? validateWorkerRows(table, { pool: PAYROLL_CONTEXT.pool, today: PAYROLL_CONTEXT.today })
          : validateGrantRows(table);
    for (;;) {
      const next = await rows.next();
      if (next.done) {
        run.dataRows = next.value.dataRows;
        if ('footer' in next.value && next.value.footer !== undefined) run.footer = next.value.footer;
        if (kind === 'payroll' && 'rejectedAmount' in next.value) {
          const mismatch = checkControlTotals(next.value);
          if (mismatch) throw mismatch;
        }
        break;
      }
      outcomes.push(next.value);
    }
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    const summary: IntakeSummary =
      error.line === undefined ? { file: error.reason } : { file: error.reason, line: error.line };
    return { ...run, outcomes, summary };
  }
  let accepted = 0;
  let amount = 0;
  const rejected: [number, ReasonCode][] = [];
  for (const o of outcomes) {
    if (o.ok) {
      accepted++;
      amount += o.value.amount ?? 0;
    } else rejected.push([o.line, o.reason]);
  }
  return { ...run, outcomes, summary: { accepted, amount, rejected } };
}

export async function* fromBuffer(bytes: Uint8Array, chunkSize = 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}
