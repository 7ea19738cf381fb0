/**
 * Where an intake file sits says what it is (docs/design.md#where-a-file-sits):
 *   incoming/payroll/<pool>/<YYYY-MM>/<agency>.csv|.xlsx|.dbf   one agency's deductions for one payroll period
 *   incoming/payroll/<pool>/<YYYY-MM>/<folder>/<agency>.csv    the same, as a correction-only, late or
 *                                                             withdrawal file (PAYROLL_FOLDERS)
 *   incoming/workers/<pool>/<anything>.csv|.xlsx|.dbf           worker enrollment for a pool
 *   incoming/grants/<pool>/<anything>.csv|.xlsx|.dbf            lump-sum grants for a pool
 *   incoming/bpjs/<pool>/<YYYY-MM>/<anything>.csv|.xlsx         BPJS's confirmation of a pool's month
 * A key that does not fit is a whole-file rejection (KEY_INVALID) with a report, never a crash.
 *
 * fileId = first 24 hex of sha256(key + '\n' + sha256(content)): the same bytes at the same key are the
 * same file version whatever event delivers them, so every redelivery recomputes the same chunk ids.
 */
import { createHash } from 'node:crypto';
import { validateAgencyCode, validatePoolCode } from '#domain/identifiers.ts';
import type { AgencyCode, FileKind, Period, PoolCode } from '#domain/model.ts';
import { isPeriod } from '#domain/period.ts';
import type { FileVersionStatus, PayrollMode } from '#domain/ports/file-registry.ts';
import { fail, ok, type Result } from '#domain/result.ts';

export type FileFormat = 'csv' | 'xlsx' | 'dbf';

export type IntakeKey =
  | {
      readonly kind: 'PAYROLL';
      readonly pool: PoolCode;
      readonly period: Period;
      readonly agency: AgencyCode;
      readonly format: FileFormat;
      /** From the folder between period and file (docs/intake.md#payroll-key-folders); REPLACE without one. */
      readonly mode: PayrollMode;
      /** The `susulan` folder: a late file for a month before the pool's first month. */
      readonly late: boolean;
    }
  | { readonly kind: 'WORKERS' | 'GRANTS'; readonly pool: PoolCode; readonly format: FileFormat }
  | { readonly kind: 'BPJS'; readonly pool: PoolCode; readonly period: Period; readonly format: FileFormat };

const KIND_BY_FOLDER: Readonly<Record<string, FileKind>> = {
  payroll: 'PAYROLL',
  workers: 'WORKERS',
  grants: 'GRANTS',
  bpjs: 'BPJS',
};

/**
 * The optional folder between period and file name: how the uploader means the file (never guessed):
 * `koreksi` a correction-only file, `susulan` a late file, `susulan-koreksi` both, `tarik` a request to
 * withdraw the agency's file of that month (docs/intake.md#payroll-key-folders).
 */
export const PAYROLL_FOLDERS: Readonly<
  Record<string, { readonly mode: PayrollMode; readonly late: boolean }>
> = {
  koreksi: { mode: 'CORRECTION', late: false },
  susulan: { mode: 'REPLACE', late: true },
  'susulan-koreksi': { mode: 'CORRECTION', late: true },
  tarik: { mode: 'WITHDRAWAL', late: false },
};

/** The intake key of a payroll file, with the folder its mode and late flag call for. */
export function payrollKey(
  pool: PoolCode,
  period: Period,
  agency: AgencyCode,
  ext: FileFormat,
  opts: { readonly mode?: PayrollMode; readonly late?: boolean } = {},
): string {
  const folder = Object.entries(PAYROLL_FOLDERS).find(
    ([, f]) => f.mode === (opts.mode ?? 'REPLACE') && f.late === (opts.late ?? false),
  )?.[0];
  return `incoming/payroll/${pool}/${period}/${folder === undefined ? '' : `${folder}/`}${agency}.${ext}`;
}

/** Splits `name.ext` into its stem and a supported format, case-insensitively. */
function splitName(name: string): { stem: string; format: FileFormat } | undefined {
  const match = /^(.+)\.(csv|xlsx|dbf)$/i.exec(name);
  if (!match?.[1] || !match[2]) return undefined;
  return { stem: match[1], format: match[2].toLowerCase() as FileFormat };
}

/** Reads an already URL-decoded S3 key. The detail names the part that is wrong (no personal data in keys). */
export function parseIntakeKey(key: string): Result<IntakeKey, 'KEY_INVALID'> {
  const parts = key.split('/');
  if (parts[0] !== 'incoming' || parts.length < 4)
    return fail('KEY_INVALID', 'not under incoming/<kind>/<pool>/');
  const kind = KIND_BY_FOLDER[parts[1] ?? ''];
  if (!kind) return fail('KEY_INVALID', `unknown folder ${String(parts[1]).slice(0, 40)}`);
  const pool = validatePoolCode(parts[2]);
  if (!pool.ok) return fail('KEY_INVALID', 'pool code is not a Kemendagri code');

  if (kind === 'PAYROLL') {
    if (parts.length !== 5 && parts.length !== 6)
      return fail(
        'KEY_INVALID',
        'payroll key must be incoming/payroll/<pool>/<YYYY-MM>/[koreksi|susulan|susulan-koreksi|tarik/]<agency>.csv',
      );
    const period = parts[3] ?? '';
    if (!isPeriod(period)) return fail('KEY_INVALID', 'period folder is not YYYY-MM');
    const folder =
      parts.length === 6 ? PAYROLL_FOLDERS[parts[4] ?? ''] : { mode: 'REPLACE' as const, late: false };
    if (folder === undefined)
      return fail('KEY_INVALID', 'payroll sub-folder must be koreksi, susulan, susulan-koreksi or tarik');
    const name = splitName(parts[parts.length - 1] ?? '');
    if (!name) return fail('KEY_INVALID', 'file must end in .csv, .xlsx or .dbf');
    const agency = validateAgencyCode(name.stem);
    if (!agency.ok) return fail('KEY_INVALID', 'agency code must match [A-Za-z0-9.-]{1,40}');
    return ok({ kind, pool: pool.value, period, agency: agency.value, format: name.format, ...folder });
  }

  if (kind === 'BPJS') {
    if (parts.length !== 5)
      return fail('KEY_INVALID', 'BPJS key must be incoming/bpjs/<pool>/<YYYY-MM>/<name>.csv');
    const period = parts[3] ?? '';
    if (!isPeriod(period)) return fail('KEY_INVALID', 'period folder is not YYYY-MM');
    const name = splitName(parts[4] ?? '');
    if (!name) return fail('KEY_INVALID', 'file must end in .csv or .xlsx');
    return ok({ kind, pool: pool.value, period, format: name.format });
  }
  const name = splitName(parts[parts.length - 1] ?? '');
  if (!name) return fail('KEY_INVALID', 'file must end in .csv, .xlsx or .dbf');
  return ok({ kind, pool: pool.value, format: name.format });
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The id of a file version. `revision` > 0 only when content whose version is over (see
 * {@link takesNextRevision}) comes back at the same key: it is a new version (its chunks must not
 * reuse the old version's ids).
 */
export function fileIdOf(key: string, contentHash: string, revision = 0): string {
  const base = `${key}\n${contentHash}`;
  return sha256Hex(revision === 0 ? base : `${base}\n#r${revision}`).slice(0, 24);
}

/**
 * Whether bytes recorded at a key as a version in `status` start the next revision when they arrive
 * at that key again: always after SUPERSEDED; after WITHDRAWN or EXPIRED only for `anotherUpload`
 * (a new PUT, not the same event redelivered, which must find its own recorded outcome). The intake
 * names versions by it, and `sertakan submit` finds where its upload will land by it.
 */
export const takesNextRevision = (status: FileVersionStatus, anotherUpload: boolean): boolean =>
  status === 'SUPERSEDED' || ((status === 'WITHDRAWN' || status === 'EXPIRED') && anotherUpload);
