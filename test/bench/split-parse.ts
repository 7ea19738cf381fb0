/**
 * Benchmark (not a test): streams a generated payroll CSV through openTable + validatePayrollRows and
 * prints rows/s, MB/s and peak RSS. `npx tsx test/bench/split-parse.ts [--rows 1000000]`.
 * The file is written to a temp dir and removed afterwards; it is never committed.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkControlTotals } from '#shared/intake/control-totals.ts';
import { openTable } from '#shared/intake/open-table.ts';
import { validatePayrollRows } from '#shared/intake/payroll-rows.ts';

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
if (!Number.isSafeInteger(ROWS) || ROWS < 1) throw new Error('--rows must be a positive integer');

/** Distinct valid NIPs: birth dates 1970-1999 x sequence 001-999. */
function nipOf(i: number): string {
  const seq = (i % 999) + 1;
  const day = Math.floor(i / 999);
  const birth = new Date(Date.UTC(1970, 0, 1) + day * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '');
  return `${birth}201505${(i % 2) + 1}${String(seq).padStart(3, '0')}`;
}

async function writeFile(path: string): Promise<number> {
  const out = createWriteStream(path);
  let sum = 0;
  let buffer = '\uFEFFnip;nama;periode;jumlah;nik_pekerja\r\n';
  for (let i = 0; i < ROWS; i++) {
    const amount = 10_000 + (i % 50) * 1_000;
    sum += amount;
    // A sprinkling of rejects (every 1000th row has sen) keeps the rejection path in the measurement.
    const cell = i % 1000 === 999 ? `Rp ${amount},50` : `Rp ${amount.toLocaleString('id-ID')},00`;
    buffer += `${nipOf(i)};Pegawai Negeri Sipil ${i};2026-01;${cell};${i % 10 === 0 ? '1504014107900001' : ''}\r\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return sum;
}

const dir = await mkdtemp(join(tmpdir(), 'sertakan-bench-'));
const path = join(dir, 'payroll.csv');
try {
  await writeFile(path);
  const bytes = (await stat(path)).size;
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const table = await openTable(createReadStream(path, { highWaterMark: 256 * 1024 }), {
    fileName: 'payroll.csv',
  });
  const rows = validatePayrollRows(table, {
    pool: '15.04',
    period: '2026-01',
    agency: 'BENCH',
    today: new Date(),
  });
  let next = await rows.next();
  while (!next.done) next = await rows.next();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const totals = next.value;
  const mb = bytes / 1024 / 1024;
  console.log(`file:        ${mb.toFixed(1)} MB, ${ROWS} data rows`);
  console.log(`accepted:    ${totals.acceptedRows} rows, Rp${totals.acceptedAmount}`);
  console.log(
    `rejected:    ${totals.rejectedRows} rows (control check: ${checkControlTotals(totals)?.reason ?? 'none'})`,
  );
  console.log(`time:        ${seconds.toFixed(2)} s`);
  console.log(`throughput:  ${Math.round(ROWS / seconds)} rows/s, ${(mb / seconds).toFixed(1)} MB/s`);
  console.log(
    `peak RSS:    ${(peakRss / 1024 / 1024).toFixed(0)} MB (${(rssBefore / 1024 / 1024).toFixed(0)} MB before parsing)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
