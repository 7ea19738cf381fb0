// Over 300 lines: one schema per console answer in one module, which the routes and the browser bundle both import.
/**
 * The console API's answers as zod schemas (docs/console.md#typed-answers): the routes type the bodies
 * they send with them (`reply` in route-kit.ts), and the browser parses every answer it reads with the
 * same schema before it shows a figure, so both sides hold one description. Browser-safe: zod and the
 * domain's registries only.
 *
 * A schema lists what the page reads and what the route writes into its answer; fields a page does not
 * read may be left out (zod drops them on parsing). Rupiah and counts are integers.
 */
import * as z from 'zod/mini';
import { SEVERITIES } from '#domain/alert-kinds.ts';
import { BPJS_COVERAGE } from '#domain/confirmed-coverage.ts';

const rupiah = z.int();
const count = z.int().check(z.nonnegative());
const period = z.string().check(z.regex(/^\d{4}-\d{2}$/, 'YYYY-MM'));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'));
const instant = z.string().check(z.minLength(1));
/** Worker-months as a decimal string (hundredths), e.g. `12.50`. */
const decimal = z.string().check(z.regex(/^-?\d+(\.\d+)?$/, 'a decimal number'));
const words = z.object({ id: z.string(), en: z.string() });

/** GET /api/me: the caller's role and scope. */
export const meSchema = z.object({
  role: z.enum(['treasurer', 'ops', 'finance']),
  pools: z.array(z.string()),
  agency: z.optional(z.string()),
});

const pendingSchema = z.object({
  removedRows: count,
  loweredRows: count,
  takenAway: rupiah,
  delta: rupiah,
  expiresAt: instant,
  lines: z.array(z.object({ nip: z.string(), before: rupiah, after: rupiah })),
});

/** One intake file version as a treasurer sees it (intake-files.ts `fileSummary`). */
export const fileSummarySchema = z.object({
  fileId: z.string(),
  pool: z.string(),
  period: z.optional(period),
  agency: z.optional(z.string()),
  status: z.string(),
  dataRows: count,
  acceptedRows: count,
  acceptedAmount: rupiah,
  rejectedRows: count,
  rejectedAmount: rupiah,
  rejectReason: z.optional(z.string()),
  /** XLSX: the sheet read. */
  sheet: z.optional(z.string()),
  /** Rows under the JUMLAH row that ended the table (signature block): ignored. */
  footerLine: z.optional(z.int()),
  footerRows: z.optional(count),
  receivedAt: instant,
  processedAt: z.optional(instant),
  /** PENDING_CONFIRMATION: what the version would take away, and until when a person may decide. */
  pending: z.optional(pendingSchema),
});

/** GET /api/pools/{pool}/agencies/{agency}/files */
export const fileListSchema = z.object({ items: z.array(fileSummarySchema) });

/** GET /api/files/{fileId}: the summary and the rejection report's rows (masked by the intake). */
export const fileDetailSchema = z.extend(fileSummarySchema, { rejections: z.array(z.array(z.string())) });

/** POST /api/pools/{pool}/agencies/{agency}/uploads: the presigned PUT. */
export const uploadSchema = z.object({
  key: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
});

/** POST /api/files/{fileId}/confirm or /withdraw. */
export const decisionAnswerSchema = z.object({
  kind: z.string(),
  decision: z.optional(
    z.object({ action: z.string(), by: z.string(), at: instant, note: z.optional(z.string()) }),
  ),
  file: z.optional(fileSummarySchema),
  requestFileId: z.optional(z.string()),
});

/** GET /api/pools/{pool}/agencies/{agency}/donors?month= */
export const donorsSchema = z.object({
  pool: z.string(),
  agency: z.string(),
  month: period,
  donors: count,
  total: rupiah,
  items: z.array(z.object({ nip: z.string(), amount: rupiah, rows: count, earmarkedWorkers: count })),
});

const handledSchema = z.object({
  at: instant,
  note: z.string(),
  role: z.optional(z.string()),
  by: z.optional(z.string()),
  byName: z.optional(z.string()),
});

/** An alert as ops see it, graded by the domain's rule (alert-page.ts). */
export const alertSchema = z.object({
  ref: z.string(),
  /** A kind of the registry; a newer API's unknown kind is shown as it is. */
  kind: z.string(),
  month: period,
  firstSeen: isoDate,
  severity: z.enum(SEVERITIES),
  subject: z.string(),
  subjectType: z.string(),
  daysLeft: z.int(),
  dueDate: isoDate,
  details: z.record(z.string(), z.union([z.string(), z.number()])),
  handled: z.optional(handledSchema),
  cause: z.optional(words),
});

/** GET /api/pools/{pool}/alerts */
export const alertPageSchema = z.object({
  pool: z.string(),
  month: z.string(),
  day: z.optional(isoDate),
  months: z.array(period),
  counts: z.record(z.string(), count),
  severities: z.record(z.string(), count),
  open: count,
  total: count,
  items: z.array(alertSchema),
  next: z.optional(z.string()),
});

/** POST /api/pools/{pool}/alerts/handled */
export const handledAnswerSchema = z.object({ ref: z.string(), handled: handledSchema });

/** A worker's coverage month by month (shared/use-cases/finance/coverage.ts), NIK and name masked. */
export const coverageSchema = z.object({
  pool: z.string(),
  subject: z.string(),
  name: z.optional(z.string()),
  tier: z.optional(z.string()),
  exitedOn: z.optional(isoDate),
  months: z.array(
    z.object({
      month: period,
      funded: z.boolean(),
      tier: z.optional(z.string()),
      amount: z.optional(rupiah),
      priority: z.optional(z.string()),
      /** Allocated and confirmed by BPJS (docs/bpjs-loop.md#coverage-says-what-is-confirmed). */
      bpjs: z.enum(BPJS_COVERAGE),
      answer: z.enum(['DITERIMA', 'DITOLAK', 'NOT_IN_ANSWER', 'NO_ANSWER']),
    }),
  ),
  /** From a search: the worker's alerts in the pool, each with what to do. */
  alerts: z.optional(z.array(z.extend(alertSchema, { action: z.optional(words) }))),
});

/** GET /api/pools/{pool}/runs */
export const runsSchema = z.object({
  items: z.array(
    z.object({
      runId: z.string(),
      month: period,
      state: z.string(),
      funded: count,
      allocated: rupiah,
      lastActivityAt: instant,
      cause: z.string(),
    }),
  ),
});

const creditsSchema = z.object({ deductions: rupiah, corrections: rupiah, grants: rupiah, total: rupiah });
const workersSchema = z.object({
  funded: count,
  admitted: count,
  unfunded: count,
  lapsed: count,
  waitlisted: count,
});
const correctionLineSchema = z.object({
  period,
  agency: z.optional(z.string()),
  amount: rupiah,
  countedIn: z.optional(z.object({ month: period })),
});

/** A pool's month, opening to closing (shared/use-cases/finance/reports.ts). */
export const reconciliationSchema = z.object({
  month: period,
  status: z.string(),
  opening: rupiah,
  credits: creditsSchema,
  allocated: rupiah,
  closing: rupiah,
  workers: workersSchema,
  balanced: z.boolean(),
  corrections: z.optional(
    z.object({
      counted: z.array(correctionLineSchema),
      countedTotal: rupiah,
      pending: z.array(correctionLineSchema),
      pendingTotal: rupiah,
    }),
  ),
});

/** GET /api/pools/{pool}/balance?asOf= (and the overview's balance). */
export const balanceSchema = z.object({
  balance: rupiah,
  allocated: rupiah,
  credits: creditsSchema,
  asOf: z.string(),
  lastMonth: z.optional(period),
  lastClosing: rupiah,
  pendingCorrections: rupiah,
  futureCredits: rupiah,
});

/** GET /api/pools/{pool}/overview: the balance and every finished month's reconciliation. */
export const overviewSchema = z.object({
  pool: z.string(),
  balance: balanceSchema,
  months: z.array(reconciliationSchema),
});

/** GET /api/donors/{nip}/statement: the lines of the pools in scope, totals from those lines. */
export const statementSchema = z.object({
  nip: z.string(),
  lines: z.array(
    z.object({
      pool: z.string(),
      period,
      net: rupiah,
      rupiah,
      poolNetPayroll: rupiah,
      poolPayrollFunded: rupiah,
      status: z.enum(['ALLOCATED', 'PENDING']),
      workerMonths: decimal,
      corrections: z.optional(
        z.array(z.object({ amount: rupiah, countedIn: z.optional(z.object({ month: period })) })),
      ),
    }),
  ),
  totals: z.object({ net: rupiah, rupiah, workerMonths: z.optional(decimal) }),
});

/** GET /api/pools/{pool}/forecast: 12 months from the coming one, and the runway. */
export const forecastSchema = z.object({
  pool: z.string(),
  date: isoDate,
  start: period,
  runwayMonths: count,
  months: z.array(
    z.object({
      month: period,
      opening: rupiah,
      expectedCredits: rupiah,
      cost: rupiah,
      closing: rupiah,
      active: count,
      fundable: count,
    }),
  ),
  /** The per-agency trend beside the headline (the headline uses the admission rule's expected credit). */
  trend: z.optional(z.object({ runwayMonths: count, months: z.array(z.object({ month: period })) })),
});

/** GET /api/pools/{pool}/allocations/agencies?month= */
export const agencyAllocationsSchema = z.object({
  pool: z.string(),
  month: period,
  funding: z.optional(z.object({ allocated: rupiah, payrollFunded: rupiah, otherFunded: rupiah })),
  items: z.array(
    z.object({
      agency: z.string(),
      donors: count,
      netDeduction: rupiah,
      rupiah,
      workerMonths: decimal,
      earmarkedWorkers: count,
      earmarkedRupiah: rupiah,
    }),
  ),
});

/** GET /api/pools: the pools in the caller's scope (the picker). */
export const poolListSchema = z.object({
  items: z.array(z.object({ pool: z.string(), name: z.optional(z.string()), level: z.string() })),
  total: count,
});

const areaFiguresSchema = z.object({
  opening: rupiah,
  credits: creditsSchema,
  allocated: rupiah,
  closing: rupiah,
  workers: workersSchema,
  balanced: z.boolean(),
  pendingCorrections: rupiah,
});

/** GET /api/areas/{area}/month?month=: the area's sums and each pool's line. */
export const areaMonthSchema = z.object({
  area: z.string(),
  month: period,
  total: z.extend(areaFiguresSchema, { pools: count }),
  pools: z.array(z.extend(areaFiguresSchema, { pool: z.string() })),
});

export type Me = z.infer<typeof meSchema>;
export type FileSummary = z.infer<typeof fileSummarySchema>;
export type FileDetail = z.infer<typeof fileDetailSchema>;
export type Alert = z.infer<typeof alertSchema>;
export type AlertPage = z.infer<typeof alertPageSchema>;
export type Coverage = z.infer<typeof coverageSchema>;
export type Reconciliation = z.infer<typeof reconciliationSchema>;
export type PoolForecast = z.infer<typeof forecastSchema>;
export type PoolItem = z.infer<typeof poolListSchema>['items'][number];
export type AreaMonth = z.infer<typeof areaMonthSchema>;

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** What a route may send for a schema: its input type, read-only so the domain's read-only answers fit. */
export type Answer<S extends z.ZodMiniType> = DeepReadonly<z.input<S>>;
