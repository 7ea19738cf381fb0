/**
 * How one agency's payroll system names the payroll columns (docs/intake.md, "Column mapping per
 * agency"): saved once by the treasurer or an admin, used for every later file of that agency. A
 * SIMGAJI export says `NIP`, `NAMA`, `POTSERTAKAN`: mapped to nip, nama, jumlah. A mapped field is
 * found by its mapped header names only (so a system's own `JUMLAH` column, the gross total, is not
 * mistaken for the deduction); a field not mapped keeps the built-in names. A table without a period
 * column (a dBase export has none) may say so explicitly (`periodFromKey`): its rows then take the
 * month the file was submitted for.
 */
import { z } from 'zod';
import type { AgencyCode, PoolCode } from './model.ts';

export const PAYROLL_FIELDS = ['nip', 'nama', 'periode', 'jumlah', 'nik_pekerja'] as const;
export type PayrollField = (typeof PAYROLL_FIELDS)[number];

export type ColumnMapping = {
  readonly pool: PoolCode;
  readonly agency: AgencyCode;
  /** File header name as the payroll system writes it -> the payroll field it holds. */
  readonly columns: Readonly<Record<string, PayrollField>>;
  /** The file has no period column: its rows are for the month the file was submitted for. */
  readonly periodFromKey: boolean;
  /** Who saved it (a console user's subject or `cli:<user>`) and when (ISO instant). */
  readonly updatedBy: string;
  readonly updatedAt: string;
};

const headerName = z
  .string()
  .trim()
  .min(1, 'nama kolom kosong / empty column name')
  .max(40, 'nama kolom paling panjang 40 karakter / column name longer than 40')
  .regex(/^[\p{L}\p{N} _.\-/()]+$/u, 'nama kolom hanya huruf, angka, spasi dan _ . - / ( )');

/** What a person sends to save a mapping: checked the same way by the CLI and the console API. */
export const columnMappingInputSchema = z
  .strictObject({
    columns: z.record(headerName, z.enum(PAYROLL_FIELDS)),
    periodFromKey: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    const seen = new Map<string, string>();
    for (const [header, field] of Object.entries(value.columns)) {
      const earlier = seen.get(field);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `kolom "${earlier}" dan "${header}" sama-sama dipetakan ke ${field} / two columns map to ${field}`,
        });
      }
      seen.set(field, header);
    }
    if (value.periodFromKey && Object.values(value.columns).includes('periode')) {
      ctx.addIssue({
        code: 'custom',
        message: 'periode dipetakan ke kolom dan sekaligus diambil dari bulan kiriman: pilih satu',
      });
    }
    if (Object.keys(value.columns).length === 0 && !value.periodFromKey) {
      ctx.addIssue({ code: 'custom', message: 'pemetaan kosong / empty mapping' });
    }
  });
export type ColumnMappingInput = z.infer<typeof columnMappingInputSchema>;

/**
 * `NIP=nip,POTSERTAKAN=jumlah` (the CLI's --set) as mapping columns; field names as PAYROLL_FIELDS or
 * their English spellings (name, period, amount, worker_nik). Throws with the pair that is wrong.
 */
export function parseColumnPairs(text: string): Record<string, string> {
  const ALIASES: Readonly<Record<string, PayrollField>> = {
    name: 'nama',
    period: 'periode',
    amount: 'jumlah',
    worker_nik: 'nik_pekerja',
  };
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.lastIndexOf('=');
    if (at <= 0) throw new Error(`"${pair}": tulis KOLOM=field, mis. POTSERTAKAN=jumlah`);
    const header = pair.slice(0, at).trim();
    const field = pair
      .slice(at + 1)
      .trim()
      .toLowerCase();
    out[header] = ALIASES[field] ?? field;
  }
  return out;
}
