/**
 * What the per-pool HTML report shows (docs/design.md#the-pool-report): the monthly reconciliation, the runway
 * forecast and the alerts sent. Built by whoever reads the ledger; the renderer only draws it.
 * A zod schema, because the renderer turns these numbers into SVG geometry: a NaN or a float here
 * would draw a broken chart rather than fail loudly.
 */
import { z } from 'zod';
import { ALERT_KINDS } from '#domain/alerts.ts';

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const rupiah = z.number().int();
const count = z.number().int().nonnegative();

export const poolReportMonthSchema = z.object({
  month: period,
  opening: rupiah,
  /** Payroll deductions credited for this month. */
  credits: rupiah,
  /** Net of superseding files (negative when a re-upload lowered amounts). */
  corrections: rupiah,
  grants: rupiah,
  allocations: rupiah,
  closing: rupiah,
  funded: count,
  unfunded: count,
  lapsed: count,
  waitlisted: count,
});

export const poolReportForecastSchema = z.object({
  month: period,
  /** Projected balance after that month's run. */
  balance: rupiah,
  /** Workers the pool can pay for that month. */
  fundable: count,
});

export const poolReportAlertSchema = z.object({ date: isoDate, kind: z.enum(ALERT_KINDS), count });

export const poolReportModelSchema = z.object({
  pool: z.object({ code: z.string().min(1).max(40), name: z.string().max(200) }),
  /** ISO instant the report was produced. */
  generatedAt: z.iso.datetime({ offset: true }),
  months: z.array(poolReportMonthSchema),
  forecast: z.array(poolReportForecastSchema),
  alerts: z.array(poolReportAlertSchema),
});

export type PoolReportMonth = z.infer<typeof poolReportMonthSchema>;
export type PoolReportForecast = z.infer<typeof poolReportForecastSchema>;
export type PoolReportAlert = z.infer<typeof poolReportAlertSchema>;
export type PoolReportModel = z.infer<typeof poolReportModelSchema>;
