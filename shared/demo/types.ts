/**
 * What the synthetic region generator hands out: the people it invented, the files it would drop
 * into the intake bucket (with the day they arrive), and the totals an independent checker expects.
 */
import type {
  AgencyCode,
  GrantSource,
  IsoDate,
  Period,
  PoolCode,
  Rupiah,
  WorkerDetails,
  WorkerExit,
} from '#domain/model.ts';

export type SyntheticRegionOptions = {
  readonly seed?: number;
  /** Simulated months (default 12). */
  readonly months?: number;
  /** First payroll period (default 2026-01). */
  readonly startPeriod?: Period;
  readonly donors?: number;
  readonly workers?: number;
  readonly agencies?: number;
  /** When the story's events happen (1-based months); defaults fit 12 months (DEFAULT_STORY). */
  readonly story?: StoryMonths;
};

/**
 * The shock and the rescue (docs/demo-story.md): the largest agency's last file before its silence,
 * the month it sends again (no silence at all in a run shorter than that), and the month the grant
 * file arrives.
 */
export type StoryMonths = {
  readonly stopAfter: number;
  readonly returnAt: number;
  readonly grantIn: number;
};

/** One file as it would land in the intake bucket; `key` follows docs/design.md#where-a-file-sits exactly. */
export type FileDrop = {
  readonly kind: 'payroll' | 'workers' | 'grants';
  readonly key: string;
  readonly body: string;
  /** Jakarta date it arrives. */
  readonly deliverOn: IsoDate;
  readonly note?: string;
};

export type SyntheticAgency = {
  readonly code: AgencyCode;
  readonly name: string;
  readonly donorCount: number;
};

export type SyntheticDonor = {
  readonly nip: string;
  readonly name: string;
  readonly agency: AgencyCode;
  readonly amount: Rupiah;
  /** First and last payroll period (inclusive) with a deduction. */
  readonly from: Period;
  readonly to: Period;
  /** Earmark: the worker this donor asked to sponsor. */
  readonly workerNik?: string;
};

/** An invented worker, as the worker file the generator writes states them. */
export type SyntheticWorker = WorkerDetails & { readonly exit?: WorkerExit };

export type BadRowReason = 'NIP_FORMAT' | 'AMOUNT_HAS_SEN' | 'PERIOD_MISMATCH' | 'DUPLICATE_ROW';

/** A row put in deliberately; the intake must reject exactly these, at these lines, for these reasons. */
export type BadRow = {
  readonly key: string;
  readonly line: number;
  readonly nip: string;
  readonly reason: BadRowReason;
};

export type AgencyTotal = { readonly rows: number; readonly sum: Rupiah };

export type PeriodExpectation = {
  readonly period: Period;
  /** Valid rows per agency that sent a file, after corrections. */
  readonly agencies: Readonly<Record<AgencyCode, AgencyTotal>>;
  readonly validRows: number;
  readonly validSum: Rupiah;
  readonly badRows: number;
};

export type SyntheticGrant = {
  readonly key: string;
  readonly reference: string;
  readonly source: GrantSource;
  readonly period: Period;
  readonly amount: Rupiah;
};

export type ExpectedTotals = {
  readonly periods: readonly PeriodExpectation[];
  readonly badRows: readonly BadRow[];
  readonly grants: readonly SyntheticGrant[];
  /** The re-uploaded file: same key, changed amounts and one donor removed. */
  readonly correction?: {
    readonly key: string;
    readonly originalSum: Rupiah;
    readonly correctedSum: Rupiah;
    readonly changedNips: readonly string[];
    readonly removedNip: string;
  };
  /** The agency that stops sending: its last delivered period before the silence, and its first after. */
  readonly stoppedAgency?: {
    readonly agency: AgencyCode;
    readonly lastPeriod: Period;
    readonly returnsFrom: Period;
  };
  /** Keys of payroll files that arrive after the cutoff day. */
  readonly lateFiles: readonly string[];
};

export type SyntheticRegion = {
  readonly pool: PoolCode;
  readonly poolName: string;
  readonly periods: readonly Period[];
  readonly agencies: readonly SyntheticAgency[];
  readonly donors: readonly SyntheticDonor[];
  readonly workers: readonly SyntheticWorker[];
  /** Drops grouped by the month they arrive in, each list sorted by delivery date then key. */
  readonly months: readonly { readonly period: Period; readonly drops: readonly FileDrop[] }[];
  readonly expected: ExpectedTotals;
};

/** Payroll files arriving after this day of the month are late (FILE_MISSING territory). */
export const PAYROLL_CUTOFF_DAY = 5;
