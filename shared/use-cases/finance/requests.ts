import { z } from 'zod';
import { ValidationError } from '#domain/errors.ts';
import { jakartaEndOfDay, parseIsoDate } from '#domain/period.ts';
import { MAX_PAGE_SIZE } from './paging.ts';

/**
 * What a finance caller may ask, as zod schemas shared by the HTTP API and the CLI, so both reject the
 * same mistakes with the same codes. Query-string values arrive as strings.
 */

/**
 * A caller mistake in a finance request: malformed (BAD_REQUEST), a method or an unmasking the route does
 * not allow (METHOD_NOT_ALLOWED, UNMASK_NOT_ALLOWED), a page too large (PAGE_TOO_LARGE). A
 * ValidationError, so each entry point maps it by its code: the HTTP status in
 * shared/runtime/http-handler.ts; the CLI prints it on one line and exits 1 (shared/cli/main.ts).
 */
export class FinanceRequestError extends ValidationError {
  override readonly name: string = 'FinanceRequestError';
  constructor(code: string, message: string) {
    super(message, { code });
  }
}

export const poolSchema = z
  .string()
  .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'a Kemendagri area code such as 15.04');
export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM, MM 01-12')
  .refine((m) => m >= '2000-01' && m <= '2100-12', 'a month between 2000 and 2100');
export const nikSchema = z.string().regex(/^\d{16}$/, '16 digits');
export const nipSchema = z.string().regex(/^\d{18}$/, '18 digits');
export const agencySchema = z.string().regex(/^[A-Za-z0-9.-]{1,40}$/, 'an agency code');
export const runIdSchema = z
  .string()
  .regex(/^[\d.]+\/\d{4}-\d{2}\/\d{3}$/, 'a run id such as 15.04/2026-01/001');
export const exportKindSchema = z.enum(['bill', 'allocations', 'shares']);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const limitSchema = z
  .string()
  .regex(/^\d{1,9}$/, 'a whole number')
  .transform(Number)
  .refine((n) => n >= 1, 'at least 1');

/** `YYYY-MM-DD` (end of that day in Jakarta) or a full ISO instant. */
export const asOfSchema = z.string().transform((text, ctx) => {
  const date = parseIsoDate(text);
  if (date.ok && date.value === text) return jakartaEndOfDay(date.value);
  const instant = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : undefined;
  if (instant !== undefined && !Number.isNaN(instant.getTime())) return instant;
  ctx.addIssue({ code: 'custom', message: 'a date YYYY-MM-DD or an ISO instant' });
  return z.NEVER;
});

export const allocationsQuerySchema = z
  .strictObject({
    month: monthSchema.optional(),
    nik: nikSchema.optional(),
    agency: agencySchema.optional(),
    run: runIdSchema.optional(),
    limit: limitSchema.optional(),
    next: z.string().max(2000).optional(),
    unmasked: flag.optional(),
  })
  .refine((q) => [q.nik, q.agency, q.run].filter((v) => v !== undefined).length <= 1, {
    message: 'give at most one of nik, agency, run',
  })
  .refine((q) => q.month !== undefined || q.nik !== undefined || q.run !== undefined, {
    message: 'month is required unless nik or run is given',
  })
  .refine((q) => q.agency === undefined || q.month !== undefined, { message: 'agency needs a month' });

export const monthQuerySchema = z.strictObject({
  month: monthSchema,
  limit: limitSchema.optional(),
  next: z.string().max(2000).optional(),
  unmasked: flag.optional(),
});
export const statementQuerySchema = z.strictObject({ unmasked: flag.optional() });
export const balanceQuerySchema = z.strictObject({ asOf: asOfSchema.optional() });
export const runsQuerySchema = z.strictObject({
  month: monthSchema.optional(),
  limit: limitSchema.optional(),
  next: z.string().max(2000).optional(),
});

/** Parses with `schema` or throws BAD_REQUEST naming the fields (never echoing their values). */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  throw new FinanceRequestError('BAD_REQUEST', `invalid request: ${where}`);
}

/** One URL path segment, percent-decoded, or BAD_REQUEST when it is not valid URL encoding. */
export function decodePathSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new FinanceRequestError('BAD_REQUEST', 'the path is not valid URL encoding');
  }
}

/** Page size: default, and a clear PAGE_TOO_LARGE above the maximum instead of a silent cut. */
export function pageLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (limit > MAX_PAGE_SIZE) {
    throw new FinanceRequestError('PAGE_TOO_LARGE', `limit may be at most ${MAX_PAGE_SIZE}`);
  }
  return limit;
}

/** Full personal data only when asked explicitly and the answer is about a single person. */
export function privacyOf(unmasked: boolean | undefined, singlePerson: boolean): { unmasked: boolean } {
  if (unmasked === true && !singlePerson) {
    throw new FinanceRequestError(
      'UNMASK_NOT_ALLOWED',
      'unmasked=true is only for a single person (allocations by nik, or a donor statement)',
    );
  }
  return { unmasked: unmasked === true };
}
