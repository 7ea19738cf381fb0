/**
 * One truth (docs/one-truth.md): random sequences of payroll uploads (new, duplicate, replacement that
 * adds, replacement that removes and is held for confirmation, koreksi, rejected, late), a person
 * confirming or withdrawing a held version, monthly runs and worker exits through the use cases on the
 * in-memory fakes. After every step every view equals one oracle computed here from the committed
 * ledger (the in-memory credit ledger's chunks with their recording times) and the run records: the
 * intake outcome (what it applied is what the ledger moved; held, duplicate, rejected, withdrawn and
 * expired versions move nothing and show Rp0 accepted), the model of each agency month (the files
 * applied, and Σ of the deltas their outcomes announced), the treasurer's donors of each period (the
 * accepted version's snapshot), the finance balance with its pending corrections, each month's
 * reconciliation with the corrections its runs counted, every donor statement and every agency share.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkViews } from './one-truth-oracle.ts';
import { actionArb, pipelineWorld } from './pipeline-world.ts';

const stats = { sequences: 0, steps: 0, views: 0 };

describe('one truth: every view equals the committed ledger after every step', () => {
  it('holds on random sequences of uploads, runs and exits', async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(actionArb, { minLength: 1, maxLength: 20, size: 'medium' }),
        async (actions) => {
          const w = pipelineWorld();
          stats.sequences++;
          for (const [i, a] of actions.entries()) {
            const up = await w.apply(a);
            stats.steps++;
            stats.views += await checkViews(w, up, `step ${i + 1} ${JSON.stringify(a)}`);
          }
        },
      ),
      {
        // Two sequences it found, kept as examples: a confirmation after a later upload of the month, and
        // a whole-month file with the same bytes as the koreksi that made the active version.
        examples: [
          [
            [
              { t: 'upload', agency: 'DISDIK', late: 0, variant: 'new', pick: 1 },
              { t: 'upload', agency: 'DISDIK', late: 0, variant: 'new', pick: 0 },
              { t: 'upload', agency: 'DISDIK', late: 0, variant: 'rejected', pick: 0 },
              { t: 'confirm', pick: 0 },
            ],
          ],
          [
            [
              { t: 'upload', agency: 'DINKES', late: 0, variant: 'new', pick: 2 },
              { t: 'upload', agency: 'DINKES', late: 0, variant: 'koreksi', pick: 0 },
              { t: 'confirm', pick: 0 },
              { t: 'upload', agency: 'DINKES', late: 0, variant: 'new', pick: 0 },
            ],
          ],
        ],
        numRuns: Number(process.env.ONE_TRUTH_RUNS ?? 100),
        seed: Number(process.env.ONE_TRUTH_SEED ?? 2826),
      },
    );
    process.stderr.write(
      `one truth: ${stats.sequences} sequences, ${stats.steps} steps, ${stats.views} view checks, ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }, 120_000);
});
