/** Test helper: reads a generated file through the real intake (openTable + row validators). */
import type { Deduction } from '#domain/model.ts';
import type { ReasonCode } from '#domain/reasons.ts';
import { checkControlTotals } from '#shared/intake/control-totals.ts';
import { type GrantRow, validateGrantRows } from '#shared/intake/grant-rows.ts';
import { openTable, type Table } from '#shared/intake/open-table.ts';
import { validatePayrollRows } from '#shared/intake/payroll-rows.ts';
import { validateWorkerRows, type WorkerRow } from '#shared/intake/worker-rows.ts';

export type Read<T> = {
  readonly table: Table;
  readonly accepted: T[];
  readonly rejected: { line: number; reason: ReasonCode }[];
  readonly controlChecked: boolean;
};

async function* bytes(body: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(body, 'utf8');
}

const PAYROLL_KEY = /^incoming\/payroll\/([0-9.]+)\/(\d{4}-\d{2})\/([A-Za-z0-9.-]{1,40})\.csv$/;

export async function readPayroll(key: string, body: string): Promise<Read<Deduction>> {
  const m = PAYROLL_KEY.exec(key);
  if (!m) throw new Error(`not a payroll key: ${key}`);
  const table = await openTable(bytes(body), { fileName: key });
  const rows = validatePayrollRows(table, {
    pool: m[1] ?? '',
    period: m[2] ?? '',
    agency: m[3] ?? '',
    today: new Date(),
  });
  const out = await drain(table, rows);
  const mismatch = checkControlTotals(out.totals);
  if (mismatch) throw mismatch;
  return { ...out, controlChecked: out.totals.control !== undefined };
}

export async function readWorkers(body: string): Promise<Read<WorkerRow>> {
  const table = await openTable(bytes(body), { fileName: 'workers.csv' });
  return {
    ...(await drain(table, validateWorkerRows(table, { pool: '15.04', today: new Date() }))),
    controlChecked: false,
  };
}

export async function readGrants(body: string): Promise<Read<GrantRow>> {
  const table = await openTable(bytes(body), { fileName: 'grants.csv' });
  return { ...(await drain(table, validateGrantRows(table))), controlChecked: false };
}

async function drain<T, R>(
  table: Table,
  rows: AsyncGenerator<{ ok: true; value: T } | { ok: false; line: number; reason: ReasonCode }, R>,
): Promise<{ table: Table; accepted: T[]; rejected: { line: number; reason: ReasonCode }[]; totals: R }> {
  const accepted: T[] = [];
  const rejected: { line: number; reason: ReasonCode }[] = [];
  for (;;) {
    const next = await rows.next();
    if (next.done) return { table, accepted, rejected, totals: next.value };
    if (next.value.ok) accepted.push(next.value.value);
    else rejected.push({ line: next.value.line, reason: next.value.reason });
  }
}
