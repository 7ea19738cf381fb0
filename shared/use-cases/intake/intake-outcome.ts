/**
 * What every intake use case returns and records: one file version, its status, counts and report.
 * Handlers log and count these (no personal data in them: codes, counts and rupiah totals only).
 */
import type { AgencyCode, FileKind, FileStatus, Period, PoolCode, Rupiah } from '#domain/model.ts';
import type { FileVersion } from '#domain/ports/file-registry.ts';

export type IntakeOutcome = {
  readonly fileId: string;
  readonly kind: FileKind;
  readonly status: FileStatus;
  readonly pool: PoolCode;
  readonly period?: Period;
  readonly agency?: AgencyCode;
  /** True when this file registered its agency to the pool (payroll only). */
  readonly agencyRegistered: boolean;
  readonly counts: {
    readonly dataRows: number;
    readonly acceptedRows: number;
    readonly rejectedRows: number;
  };
  readonly amounts: { readonly accepted: Rupiah; readonly rejected: Rupiah };
  readonly reportKey: string;
  /** Whole-file rejection reason. */
  readonly rejectReason?: string;
  readonly supersedes?: string;
  /** XLSX: the sheet that was read. */
  readonly sheet?: string;
  /** Rows under the JUMLAH row that ended the table (signature block, notes): ignored, not rows. */
  readonly footer?: { readonly line: number; readonly rows: number };
} & Pick<
  FileVersion,
  | 'duplicateOf'
  | 'firstReceivedAt'
  | 'mode'
  | 'late'
  | 'reason'
  | 'requestedBy'
  | 'withdraws'
  | 'delta'
  | 'monthTotal'
  | 'pending'
  | 'decision'
>;

export type FileTotals = {
  readonly dataRows: number;
  readonly acceptedRows: number;
  readonly acceptedAmount: Rupiah;
  readonly rejectedRows: number;
  readonly rejectedAmount: Rupiah;
};

export const NO_TOTALS: FileTotals = {
  dataRows: 0,
  acceptedRows: 0,
  acceptedAmount: 0,
  rejectedRows: 0,
  rejectedAmount: 0,
};

export function outcomeOf(file: FileVersion): IntakeOutcome {
  if (file.status === 'PROCESSING') throw new Error(`file ${file.fileId} is still processing`);
  return {
    fileId: file.fileId,
    kind: file.kind,
    status: file.status,
    pool: file.pool,
    ...(file.period === undefined ? {} : { period: file.period }),
    ...(file.agency === undefined ? {} : { agency: file.agency }),
    agencyRegistered: file.agencyRegistered ?? false,
    counts: { dataRows: file.dataRows, acceptedRows: file.acceptedRows, rejectedRows: file.rejectedRows },
    amounts: { accepted: file.acceptedAmount, rejected: file.rejectedAmount },
    reportKey: file.reportKey,
    ...(file.rejectReason === undefined ? {} : { rejectReason: file.rejectReason }),
    ...(file.supersedes === undefined ? {} : { supersedes: file.supersedes }),
    ...(file.sheet === undefined ? {} : { sheet: file.sheet }),
    ...(file.footerLine === undefined || file.footerRows === undefined
      ? {}
      : { footer: { line: file.footerLine, rows: file.footerRows } }),
    ...definedOf(file, [
      'duplicateOf',
      'firstReceivedAt',
      'mode',
      'late',
      'reason',
      'requestedBy',
      'withdraws',
      'delta',
      'monthTotal',
      'pending',
      'decision',
    ] as const),
  };
}

function definedOf<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/** What the first upload of some bytes did, which a later DUPLICATE of them did not. */
type FirstUploadsActs =
  | 'agencyRegistered'
  | 'supersedes'
  | 'pending'
  | 'decision'
  | 'withdraws'
  | 'reason'
  | 'requestedBy';

/**
 * A recorded version without what its upload did (registered its agency, replaced or withdrew a
 * version, was held and decided): the part a DUPLICATE of it may show as its own. Shapes: an
 * IntakeOutcome or a FileVersion.
 */
export function withoutFirstUploadsActs<T extends Partial<Record<FirstUploadsActs, unknown>>>(
  recorded: T,
): Omit<T, FirstUploadsActs> {
  const {
    agencyRegistered: _a,
    supersedes: _s,
    pending: _p,
    decision: _d,
    withdraws: _w,
    reason: _r,
    requestedBy: _b,
    ...rest
  } = recorded;
  return rest;
}

/**
 * The outcome announced for an upload of bytes already recorded at the same key (another S3 PUT of the
 * same content): DUPLICATE of that file, 0 accepted, Rp0, nothing credited; nothing new is recorded.
 * What the first upload did (registered its agency, replaced or withdrew a version, was held and
 * decided) is not this upload's doing.
 */
export function duplicateOfRecorded(file: FileVersion): IntakeOutcome {
  return {
    ...withoutFirstUploadsActs(outcomeOf(file)),
    status: 'DUPLICATE',
    agencyRegistered: false,
    counts: { dataRows: file.dataRows, acceptedRows: 0, rejectedRows: 0 },
    amounts: { accepted: 0, rejected: 0 },
    ...(file.delta === undefined ? {} : { delta: 0 }),
    duplicateOf: file.duplicateOf ?? file.fileId,
    firstReceivedAt: file.firstReceivedAt ?? file.receivedAt,
  };
}

/** Whether an event announces another upload of a recorded file (a DUPLICATE, not a redelivery). */
export const isAnotherUpload = (file: FileVersion, upload: string | undefined): boolean =>
  upload !== undefined && file.upload !== undefined && upload !== file.upload;

/**
 * The totals of a file that recorded nothing (docs/intake.md#outcomes): REJECTED shows 0 accepted rows
 * and Rp0 (every row it read counts as rejected, with its rupiah); DUPLICATE shows 0 accepted and 0
 * rejected (it credited nothing new and refused nothing: the content was taken before).
 */
export function nothingRecorded(totals: FileTotals, status: 'REJECTED' | 'DUPLICATE'): FileTotals {
  if (status === 'DUPLICATE') return { ...NO_TOTALS, dataRows: totals.dataRows };
  return {
    dataRows: totals.dataRows,
    acceptedRows: 0,
    acceptedAmount: 0,
    rejectedRows: totals.dataRows,
    rejectedAmount: totals.acceptedAmount + totals.rejectedAmount,
  };
}

/** The five figures of a totals object (drops extra fields such as control totals). */
export const fileTotalsOf = (t: FileTotals): FileTotals => ({
  dataRows: t.dataRows,
  acceptedRows: t.acceptedRows,
  acceptedAmount: t.acceptedAmount,
  rejectedRows: t.rejectedRows,
  rejectedAmount: t.rejectedAmount,
});

/** ACCEPTED when nothing was rejected, REJECTED when nothing was accepted, else PARTIALLY_REJECTED. */
export function statusOfTotals(totals: FileTotals): FileStatus {
  if (totals.acceptedRows === 0) return 'REJECTED';
  return totals.rejectedRows === 0 ? 'ACCEPTED' : 'PARTIALLY_REJECTED';
}

/** Where the rejection report of a file goes (every file gets one, even with no rejected rows). */
export function reportKeyOf(
  file: { kind: FileKind; pool: PoolCode; period?: Period; agency?: AgencyCode },
  fileId: string,
): string {
  if (file.pool === '') return `reports/rejections/invalid-key/${fileId}.csv`;
  if (file.kind === 'PAYROLL' && file.period !== undefined && file.agency !== undefined) {
    return `reports/rejections/${file.pool}/${file.period}/${file.agency}/${fileId}.csv`;
  }
  return `reports/rejections/${file.pool}/${file.kind.toLowerCase()}/${fileId}.csv`;
}
