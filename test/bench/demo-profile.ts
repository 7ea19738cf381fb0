/**
 * Where the demo's time goes: `npx tsx test/bench/demo-profile.ts [months, default 3]`.
 * Runs the same demo as `npm start` (seed 1, into a temp dir) and prints the wall time per kind of
 * simulated day (scan only, files, allocation) and per function (invocations, records, summed time).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '#shared/demo/run-demo.ts';

type Tally = { n: number; ms: number; records: number };
const add = (m: Map<string, Tally>, key: string, ms: number, records = 0) => {
  const t = m.get(key) ?? { n: 0, ms: 0, records: 0 };
  t.n += 1;
  t.ms += ms;
  t.records += records;
  m.set(key, t);
};

const months = Number(process.argv[2] ?? 3);
const dataDir = mkdtempSync(join(tmpdir(), 'sertakan-demo-profile-'));
const days = new Map<string, Tally>();
const fns = new Map<string, Tally>();
const started = performance.now();
let last = started;
try {
  await runDemo({
    dataDir: join(dataDir, 'demo'),
    months,
    seed: 1,
    onInvoke: (fn, ms, records) => add(fns, fn, ms, records),
    onProgress: (p) => {
      const now = performance.now();
      add(days, p.note.replace(/\d+ berkas\/files/, 'files') || '(nothing)', now - last);
      last = now;
    },
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
const s = (ms: number) => (ms / 1000).toFixed(1);
console.log(
  `${months} month(s): ${s(performance.now() - started)} s\n\nday kind                         days  seconds  ms/day`,
);
for (const [k, t] of days)
  console.log(
    `${k.padEnd(32)} ${String(t.n).padStart(4)} ${s(t.ms).padStart(8)} ${(t.ms / t.n).toFixed(0).padStart(7)}`,
  );
console.log('\nfunction              invocations  records  seconds  ms/invocation');
for (const [k, t] of fns)
  console.log(
    `${k.padEnd(22)} ${String(t.n).padStart(11)} ${String(t.records).padStart(8)} ${s(t.ms).padStart(8)} ${(t.ms / t.n).toFixed(0).padStart(14)}`,
  );
