import { z } from 'zod';
import { ALERT_KIND_INFO, isAlertKind } from '#domain/alert-kinds.ts';
import { NotFoundError } from '#domain/errors.ts';
import { maskName, maskNik, maskNip } from '#domain/masking.ts';
import type { AgencyCode } from '#domain/model.ts';
import { jakartaDateOf } from '#domain/period.ts';
import { agencySchema, nikSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { grade } from './alert-page.ts';
import { parseInput, requireAgencyScope } from './api.ts';
import { agencyAllocationsSchema, coverageSchema, donorsSchema, forecastSchema } from './responses.ts';
import { type Ctx, month, pool, type Route, reply } from './route-kit.ts';

/**
 * The console's report pages (docs/console.md): a treasurer's donors of the month, a worker's coverage
 * history behind an ops alert, a pool's runway and forecast, a month's allocations by agency. Each reads
 * through the finance use cases or the ledger's read port, never a table directly, and shows people
 * only masked (NIP, NIK, name).
 */

/** At most this many donors go to the page, largest deductions first; the count and total cover all. */
export const DONORS_SHOWN = 2000;

const workerSearchSchema = z.union([
  z.strictObject({ nik: nikSchema }),
  z.strictObject({ kpj: z.string().regex(/^\d{11}$/, '11 digits') }),
]);

/** The NIK of the pool's worker with this KPJ: one pass over the pool's enrollments (thousands, not millions). */
async function nikOfKpj(
  workers: NonNullable<Ctx['deps']['workers']>,
  pool: string,
  kpj: string,
): Promise<string | undefined> {
  for await (const page of workers.listEnrollments(pool)) {
    const found = page.find((w) => w.kpj === kpj);
    if (found !== undefined) return found.nik;
  }
  return undefined;
}

/**
 * A worker's coverage month by month over the pool's runs, allocated and confirmed by BPJS side by side
 * (docs/bpjs-loop.md#coverage-says-what-is-confirmed), NIK and name masked.
 */
async function coverageHistory(ctx: Ctx, p: string, nik: string) {
  const c = await ctx.deps.finance.coverageByNik({ pool: p, nik });
  return {
    pool: p,
    subject: maskNik(nik),
    ...(c.name === undefined ? {} : { name: maskName(c.name) }),
    months: c.months,
  };
}

const forecastQuerySchema = z.strictObject({ date: z.iso.date().optional() });

/** The agencies with committed deduction or correction chunks in a pool's period (sorted). */
const agenciesOf = (summaries: readonly { kind: string; agency?: AgencyCode }[]): AgencyCode[] =>
  [
    ...new Set(summaries.flatMap((s) => (s.kind !== 'GRANT' && s.agency !== undefined ? [s.agency] : []))),
  ].sort();

export const REPORT_ROUTES: readonly Route[] = [
  {
    // A treasurer's donors of a payroll period: net deduction per NIP over the committed rows of their
    // agency (a CORRECTION row is the signed difference), NIP masked. The ledger keeps no donor names.
    name: 'donors',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/agencies\/([^/]+)\/donors$/,
    roles: ['treasurer'],
    run: async (ctx) => {
      const p = parseInput(poolSchema, ctx.params[0]);
      const agency = parseInput(agencySchema, ctx.params[1]);
      requireAgencyScope(ctx.req.principal, p, agency);
      const m = month(ctx);
      const committed = new Set(
        (await ctx.deps.ledger.creditSummaries(p, m)).flatMap((s) =>
          s.kind !== 'GRANT' && s.agency === agency ? [s.chunkId] : [],
        ),
      );
      const byNip = new Map<string, { amount: number; rows: number; earmarks: Set<string> }>();
      for await (const page of ctx.deps.ledger.deductionRows(p, m, agency)) {
        for (const r of page) {
          if (!committed.has(r.chunkId)) continue;
          const d = byNip.get(r.nip) ?? { amount: 0, rows: 0, earmarks: new Set<string>() };
          d.amount += r.amount;
          d.rows += 1;
          if (r.workerNik !== undefined) d.earmarks.add(r.workerNik);
          byNip.set(r.nip, d);
        }
      }
      const all = [...byNip].sort(([a, x], [b, y]) => y.amount - x.amount || a.localeCompare(b));
      return reply(donorsSchema, {
        pool: p,
        agency,
        month: m,
        donors: all.length,
        total: all.reduce((s, [, d]) => s + d.amount, 0),
        items: all.slice(0, DONORS_SHOWN).map(([nip, d]) => ({
          nip: maskNip(nip),
          amount: d.amount,
          rows: d.rows,
          earmarkedWorkers: d.earmarks.size,
        })),
      });
    },
  },
  {
    // The coverage history of the worker an alert names, month by month over the pool's runs: allocated
    // and confirmed by BPJS. The browser only knows the alert's ref; the NIK is read from the alert's
    // key here and leaves masked.
    name: 'coverage',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/alerts\/([0-9a-f]{20})\/coverage$/,
    roles: ['ops'],
    run: async (ctx) => {
      const p = pool(ctx);
      const nik = await ctx.deps.alerts.workerOf(p, ctx.params[1] ?? '');
      // An unknown ref and an alert about an agency or a pool look the same: no worker to show.
      if (nik === undefined)
        throw new NotFoundError('no worker alert with this ref', { code: 'ALERT_UNKNOWN' });
      return reply(coverageSchema, await coverageHistory(ctx, p, nik));
    },
  },
  {
    // Ops' search for a worker of a pool by NIK or KPJ (in the body, never in a URL that logs keep):
    // the coverage history as above, the worker's alerts with what to do. A worker not enrolled in the
    // pool, and one enrolled elsewhere, get the same 404.
    name: 'workerSearch',
    method: 'POST',
    path: /^\/api\/pools\/([^/]+)\/workers\/search$/,
    roles: ['ops'],
    run: async (ctx) => {
      const p = pool(ctx);
      const body = parseInput(workerSearchSchema, ctx.req.body);
      const workers = ctx.deps.workers;
      if (workers === undefined) throw new NotFoundError('worker search is not wired', { code: 'NOT_WIRED' });
      const nik = 'nik' in body ? body.nik : await nikOfKpj(workers, p, body.kpj);
      const enrolled = nik === undefined ? undefined : await workers.getEnrollment(p, nik);
      if (nik === undefined || enrolled === undefined)
        throw new NotFoundError('no such worker in this pool', { code: 'WORKER_UNKNOWN' });
      const [history, alerts] = await Promise.all([
        coverageHistory(ctx, p, nik),
        ctx.deps.alerts.ofWorker(p, nik),
      ]);
      const now = ctx.deps.clock.now();
      return reply(coverageSchema, {
        ...history,
        name: maskName(enrolled.name),
        tier: enrolled.tier,
        ...(enrolled.exitedOn === undefined ? {} : { exitedOn: enrolled.exitedOn }),
        alerts: alerts.map((a) => {
          const g = grade(a, now);
          return { ...g, action: isAlertKind(a.kind) ? ALERT_KIND_INFO[a.kind].action : undefined };
        }),
      });
    },
  },
  {
    // The pool's 12-month projection (opening balance, expected credits, cost of today's active
    // workers, closing balance, fundable workers) and its runway: ops' runway, finance's forecast.
    name: 'forecast',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/forecast$/,
    roles: ['ops', 'finance'],
    run: async (ctx) => {
      const p = pool(ctx);
      const q = parseInput(forecastQuerySchema, ctx.req.query);
      return reply(
        forecastSchema,
        await ctx.deps.forecast({ pool: p, date: q.date ?? jakartaDateOf(ctx.deps.clock.now()) }),
      );
    },
  },
  {
    // A month's payroll-funded allocations split by agency (largest remainder, so the agencies add up
    // to the pool), from the finance use case for each agency with deductions in the month.
    name: 'agencyAllocations',
    method: 'GET',
    path: /^\/api\/pools\/([^/]+)\/allocations\/agencies$/,
    roles: ['finance'],
    run: async (ctx) => {
      const p = pool(ctx);
      const m = month(ctx);
      const agencies = agenciesOf(await ctx.deps.ledger.creditSummaries(p, m));
      const shares = await Promise.all(
        agencies.map((agency) => ctx.deps.finance.allocationsByAgency({ pool: p, month: m, agency })),
      );
      return reply(agencyAllocationsSchema, {
        pool: p,
        month: m,
        ...(shares[0] === undefined ? {} : { funding: shares[0].funding }),
        items: shares.map((s) => ({
          agency: s.agency,
          donors: s.donors,
          netDeduction: s.netDeduction,
          rupiah: s.rupiah,
          workerMonths: s.workerMonths,
          earmarkedWorkers: s.earmarked.length,
          earmarkedRupiah: s.earmarked.reduce((t, e) => t + e.amount, 0),
        })),
      });
    },
  },
];
