/**
 * `npx tsx test/bench/policy-edges.ts`: what the allocation run funds on the two policy edges of
 * docs/design.md (#the-month-a-worker-leaves, #earmarks-travel-with-the-money), through allocatePool
 * with the in-memory fakes, so the same input can be run on any version of the policy and compared.
 * Prints figures; checks nothing.
 */
import { defaultRateTable } from '#domain/rates.ts';
import { type AllocateStep, makeAllocatePool } from '#shared/use-cases/allocation/allocate-pool.ts';
import {
  InMemoryAllocationLog,
  InMemoryCoverageStore,
  InMemoryCredits,
  InMemoryJobs,
  InMemoryPlanStore,
  InMemoryPools,
  InMemoryWorkers,
} from '#test/support/in-memory-allocation.ts';

const POOL = '15.04';

function pool() {
  const now = { at: new Date('2026-01-10T00:00:00Z') };
  const fakes = {
    ledger: new InMemoryCredits(),
    log: new InMemoryAllocationLog(),
    coverage: new InMemoryCoverageStore(),
    plans: new InMemoryPlanStore(),
    workers: new InMemoryWorkers(),
    pools: new InMemoryPools(),
    jobs: new InMemoryJobs(),
  };
  fakes.pools.add(POOL);
  const allocate = makeAllocatePool({
    ...fakes,
    clock: { now: () => now.at },
    rates: defaultRateTable,
    chunkSize: 100,
  });
  const run = async (month: string, at: string) => {
    now.at = new Date(at);
    let step: AllocateStep = await allocate({ pool: POOL, month });
    while (step.state === 'CONTINUING')
      step = await allocate({ pool: POOL, month, cause: `continue:${step.run.runId}` });
    const funded = [...fakes.log.entries.values()]
      .filter((e) => e.month === month)
      .map((e) => `${e.priority}:${e.nik}`)
      .sort();
    const r = step.run;
    return `${month}: funded ${funded.length} [${funded.join(' ')}] Rp${r.cursor.allocated}, closing Rp${r.available - r.cursor.allocated}, unfunded active ${r.cursor.unfunded}`;
  };
  return { ...fakes, now, run };
}

async function exitMonth(): Promise<string[]> {
  const p = pool();
  const exits: Record<string, string> = {
    'exit-02-28': '2026-02-28',
    'exit-03-01': '2026-03-01',
    'exit-03-02': '2026-03-02',
    'exit-03-15': '2026-03-15',
    'exit-03-31': '2026-03-31',
  };
  for (const [nik, exitedOn] of Object.entries(exits)) {
    p.workers.add(POOL, { nik, name: nik, tier: 'JKK_JKM', enrolledOn: '2025-06-01', exitedOn });
    const paid = { status: 'ACTIVE', paidThrough: '2026-01', unpaidStreak: 0 } as const;
    await p.coverage.put(POOL, [{ nik, tier: 'JKK_JKM', month: '2026-01', ...paid, prior: paid }], {
      month: '2026-01',
      seq: 1,
    });
  }
  for (const m of ['2026-02', '2026-03', '2026-04']) p.ledger.add(POOL, m, { grants: 10 * 16_800 });
  return [
    await p.run('2026-02', '2026-02-10T00:00:00Z'),
    await p.run('2026-03', '2026-03-10T00:00:00Z'),
    await p.run('2026-04', '2026-04-10T00:00:00Z'),
  ];
}

async function lateEarmark(februaryPayroll: boolean): Promise<string[]> {
  const p = pool();
  for (const [i, nik] of ['w1', 'w2', 'named'].entries())
    p.workers.add(POOL, { nik, name: nik, tier: 'JKK_JKM', enrolledOn: `2025-12-0${i + 1}` });
  p.ledger.add(POOL, '2026-01', { deductions: 33_600 });
  const jan = await p.run('2026-01', '2026-01-10T00:00:00Z');
  // January's second file arrives on the 20th, after January's run, naming a worker.
  p.ledger.add(POOL, '2026-01', { deductions: 16_800 });
  p.ledger.marks.push({
    pool: POOL,
    period: '2026-01',
    nik: 'named',
    nip: '198503142010011002',
    agency: 'BAPPEDA',
    recordedAt: '2026-01-20T02:00:00.000Z',
  });
  if (februaryPayroll) p.ledger.add(POOL, '2026-02', { deductions: 33_600 });
  const feb = await p.run('2026-02', '2026-02-10T00:00:00Z');
  return [jan, feb];
}

const print = (title: string, lines: string[]) => {
  console.log(title);
  for (const l of lines) console.log(`  ${l}`);
};
print('exit month (5 active workers leaving 28 Feb, 1, 2, 15 and 31 Mar; money for all):', await exitMonth());
print(
  'late earmark (Jan file of Rp16.800 naming "named" arrives on the 20th; Feb payroll Rp33.600):',
  await lateEarmark(true),
);
print('late earmark, no February payroll (the late money pays one worker):', await lateEarmark(false));
