import { z } from 'zod';
import { parseIsoDate } from '#domain/period.ts';

/** A user mistake (bad option, a data dir in use, a missing name): one line, exit 1, no stack. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * Parses an option value with a zod schema. The error names the option and says what it expects (the
 * schema's first complaint only); it echoes a short value back, never a long one, nor a `personal`
 * one (a NIK or NIP: personal data is not printed back).
 * @throws CliUsageError `--month '2026-13': expected a month YYYY-MM, MM 01-12`
 */
export function parseOption<S extends z.ZodType>(
  schema: S,
  value: unknown,
  option: string,
  { personal = false }: { readonly personal?: boolean } = {},
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const shown = !personal && typeof value === 'string' && value.length <= 40 ? ` '${value}'` : '';
  throw new CliUsageError(
    `${option}${shown}: expected ${parsed.error.issues[0]?.message ?? 'a valid value'}`,
  );
}

/** `--timeout 90`: whole seconds, at least 1. */
export const secondsOption = z
  .string()
  .regex(/^\d{1,5}$/, 'whole seconds')
  .transform(Number)
  .refine((n) => n >= 1, 'at least 1 second');

/** `--date 2026-03-01`: a real calendar date (Asia/Jakarta days), written YYYY-MM-DD. */
export const isoDateOption = z.string().refine((text) => {
  const date = parseIsoDate(text);
  return date.ok && date.value === text;
}, 'a real date YYYY-MM-DD');
