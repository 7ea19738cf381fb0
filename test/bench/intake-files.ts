/**
 * `npm run bench -- --intake-rows 60000`: one payroll XLSX and one SIMGAJI-like dBase table of that
 * many rows, each through the intake as `sertakan submit` sends it (put in the intake bucket of a local
 * cloud, the S3 notification runs split-payroll-file, its chunks run ingest-deductions), with the
 * agency's column mapping saved for the DBF. Prints per file: the split function's time (both passes:
 * which sheet, validation, chunks), the time until every deduction is in the ledger, and peak RSS of
 * this process (the handlers and the in-process emulators together). Prints figures; never fails on time.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { DynamoDbColumnMappings } from '#shared/adapters/dynamodb-column-mappings.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { startLocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { startPipeline } from '#shared/local-cloud/pipeline.ts';
import { SimulatedClock } from '#shared/local-cloud/simulated-clock.ts';
import { fileIdOf } from '#shared/use-cases/intake/intake-key.ts';
import { writeSimgajiDbf } from '#test/support/dbf-fixtures.ts';
import { captureLogs, out } from './support/log-capture.ts';
import { UsageMeter } from './support/metering.ts';
import { startRssSampler } from './support/rss.ts';

/** Distinct valid NIPs: birth dates from 1970 x sequence 001-999. */
function nipOf(i: number): string {
  const birth = new Date(Date.UTC(1970, 0, 1) + Math.floor(i / 999) * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '');
  return `${birth}201505${(i % 2) + 1}${String((i % 999) + 1).padStart(3, '0')}`;
}
const amountOf = (i: number) => 10_000 + (i % 50) * 1_000;

/** A government-style workbook: a hidden draft sheet first, title rows, a two-row head, the number row, JUMLAH and signatures. */
async function writeXlsx(path: string, rows: number): Promise<number> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const draft = book.addWorksheet('DRAF', { state: 'hidden' });
  draft.addRow(['NIP', 'Nama', 'Periode', 'Jumlah']).commit();
  draft.addRow([nipOf(0), 'Draf', '2026-01', 1]).commit();
  draft.commit();
  const sheet = book.addWorksheet('JAN 2026');
  sheet.addRow(['DAFTAR POTONGAN GAJI PROGRAM SERTAKAN']).commit();
  sheet.addRow(['No', 'NIP', 'Nama', 'Potongan SERTAKAN', '']).commit();
  sheet.addRow(['', '', '', 'Periode', 'Jumlah']).commit();
  sheet.addRow([1, 2, 3, 4, 5]).commit();
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    sum += amountOf(i);
    sheet.addRow([i + 1, nipOf(i), `Pegawai Negeri Sipil ${i}`, '2026-01', amountOf(i)]).commit();
  }
  sheet.addRow(['JUMLAH', '', '', '', { formula: `SUM(E5:E${rows + 4})`, result: sum }]).commit();
  sheet.addRow(['', '', 'Mengetahui,', '', 'Bendahara Pengeluaran']).commit();
  sheet.addRow(['', '', 'NIP. 19750314 200012 1 002', '', 'NIP. 19800101 200501 2 003']).commit();
  sheet.commit();
  await book.commit();
  return sum;
}

export async function runIntakeFileBench(opts: {
  rows: number;
  ddb: 'dynalite' | 'dynamodb-local';
}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sertakan-intake-bench-'));
  const meter = new UsageMeter();
  const logs = captureLogs(meter);
  const rss = startRssSampler();
  const cloud = await startLocalCloud({ ddb: opts.ddb, stage: 'bench', dataDir: join(dir, 'cloud') });
  const split: number[] = [];
  try {
    const pipeline = await startPipeline(cloud, {
      clock: new SimulatedClock(new Date('2026-01-03T01:00:00Z')),
      maxBatchingWindowSeconds: 0,
      onInvoke: (fn, ms) => {
        if (fn === 'splitPayrollFile') split.push(ms);
      },
    });
    const files = new DynamoDbFileRegistry({
      ddb: cloud.clients.ddb,
      tableName: cloud.names.tables.registry,
    });
    await new DynamoDbColumnMappings({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.registry }).put({
      pool: '15.04',
      agency: 'BPKAD',
      columns: { NIP: 'nip', NAMA: 'nama', POTSERTAK: 'jumlah' },
      periodFromKey: true,
      updatedBy: 'bench',
      updatedAt: '2026-01-03T01:00:00.000Z',
    });

    const xlsx = join(dir, 'payroll.xlsx');
    const dbf = join(dir, 'fgaji.dbf');
    await writeXlsx(xlsx, opts.rows);
    await writeSimgajiDbf(
      dbf,
      (function* () {
        for (let i = 0; i < opts.rows; i++)
          yield { nip: nipOf(i), nama: `Pegawai ${i}`, gapok: 3_000_000, potongan: amountOf(i) };
      })(),
    );
    out(`[intake-bench] ${opts.ddb}, ${opts.rows} rows per file`);
    for (const [label, path, key] of [
      ['XLSX', xlsx, 'incoming/payroll/15.04/2026-01/DINKES.xlsx'],
      ['DBF', dbf, 'incoming/payroll/15.04/2026-01/BPKAD.dbf'],
    ] as const) {
      const body = readFileSync(path);
      split.length = 0;
      rss.reset();
      const started = performance.now();
      await cloud.clients.s3.send(
        new PutObjectCommand({ Bucket: cloud.names.buckets.intake, Key: key, Body: body }),
      );
      await cloud.drain({ timeoutMs: 60 * 60_000 });
      const total = (performance.now() - started) / 1000;
      const peak = rss.reset().rss;
      const file = await files.getFile(fileIdOf(key, createHash('sha256').update(body).digest('hex')));
      out(
        `[intake-bench] ${label} ${(body.length / 1e6).toFixed(1)} MB: ${file?.status} ${file?.acceptedRows} rows Rp${file?.acceptedAmount}` +
          `${file?.sheet === undefined ? '' : ` (sheet ${file.sheet})`}; split-payroll-file ${split.map((ms) => (ms / 1000).toFixed(1)).join('+')} s;` +
          ` until in the ledger ${total.toFixed(1)} s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
      );
    }
    await pipeline.stop();
  } finally {
    logs.restore();
    rss.stop();
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
