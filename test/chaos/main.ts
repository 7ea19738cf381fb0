/**
 * `npm run chaos -- --seeds N [--from S]`: runs seeds S..S+N-1 of the chaos simulation one after the
 * other and prints, per seed, events, faults injected and invariant violations; a failing seed is
 * printed with the command that replays it. Exit code 1 when any seed broke an invariant.
 */
import { Command, InvalidArgumentError } from 'commander';

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
};

const program = new Command('chaos')
  .description('Deterministic chaos simulation of the SERTAKAN pipeline on the local cloud')
  .option('--seeds <n>', 'how many seeds', int, 20)
  .option('--from <s>', 'first seed', int, 1)
  .option('--show <n>', 'violations printed per failing seed', int, 20)
  .option('--no-sweeper', 'never run the allocation sweeper (to see what it rescues)')
  .option('--repeat <n>', 'run each seed n times', int, 1)
  .option(
    '--lossy <functions>',
    'functions whose conditional writes may lose their answer (comma list)',
    'allocatePool',
  )
  .parse();

const opts = program.opts<{
  seeds: number;
  from: number;
  show: number;
  sweeper: boolean;
  repeat: number;
  lossy: string;
}>();
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_DEV = 'false';
// Imported only now: the Powertools singletons read these variables when their module loads.
const { runSeed } = await import('./simulate.ts');

let events = 0;
let faults = 0;
let violations = 0;
let months = 0;
const failing: number[] = [];
let runs = 0;
const rescued: string[] = [];
const byKind: Record<string, number> = {};
for (let seed = opts.from; seed < opts.from + opts.seeds; seed++)
  for (let n = 0; n < opts.repeat; n++) {
    const r = await runSeed(seed, {
      sweeper: opts.sweeper,
      faults: { lossyFunctions: opts.lossy.split(',') },
    });
    runs += 1;
    for (const m of r.sweeperRescues) rescued.push(`${seed}:${m}`);
    events += r.events;
    faults += r.faultTotal;
    for (const [k, n] of Object.entries(r.faults)) byKind[k] = (byKind[k] ?? 0) + n;
    months += r.months;
    violations += r.violations.length;
    if (r.violations.length > 0) {
      failing.push(seed);
      for (const v of r.violations.slice(0, opts.show)) console.log(`  ✗ ${v}`);
      console.log(`  replay: npm run chaos -- --from ${seed} --seeds 1`);
      if (r.logFile !== undefined) console.log(`  handler logs: ${r.logFile}`);
    }
  }
const kinds = Object.entries(byKind)
  .filter(([, n]) => n > 0)
  .map(([k, n]) => `${k} ${n}`)
  .join(', ');
console.log(
  `chaos: ${opts.seeds} seeds, ${runs} runs, ${months} simulated months, ${events} events, ${faults} faults (${kinds}), ` +
    `${violations} violations` +
    (failing.length > 0 ? ` (failing seeds: ${failing.join(', ')})` : '') +
    `; the sweeper finished ${rescued.length} month(s)${rescued.length > 0 ? ` (${rescued.join(' ')})` : ''}`,
);
process.exitCode = failing.length > 0 ? 1 : 0;
