import type { Alert, KindCounts, RecordedAlert } from '#domain/alerts.ts';
import type { ActiveGroup, FundingLine } from '#domain/forecast.ts';
import type { IsoDate, Period, PoolCode, Rupiah } from '#domain/model.ts';
import type { DigestMessage } from '#domain/ports/alert-publisher.ts';

/** What a scan knows before reading any worker (fixed at the start of the scan of pool+date). */
export type ScanContext = {
  /** Month of the latest completed allocation run (UNFUNDED/LAPSED come from it). */
  readonly lastRun?: Period;
  /** The coming coverage month: the next run (AT_RISK and the forecast are about it). */
  readonly coming: Period;
  readonly daysUntilDue: number;
  /** Balance now + credits expected but not yet received for the coming month. */
  readonly moneyForComing: Rupiah;
  readonly openingBalance: Rupiah;
  /** Expected credits per forecast month, index 0 = the coming month. */
  readonly expected: readonly Rupiah[];
  readonly runwayAlertMonths: number;
};

/** Counted so far by the scan of one pool on one date; persisted after every chunk. */
export type ScanState = {
  readonly pool: PoolCode;
  readonly date: IsoDate;
  /** Moves by one per committed chunk; commits are conditional on it. */
  readonly step: number;
  /**
   * COUNT: first pass, active workers by policy key. ALERT: second pass, worker alerts. FINAL: pool
   * alerts, the CSV and the digest text. DIGEST: publish once (one invocation won FINAL). DONE.
   */
  readonly phase: 'COUNT' | 'ALERT' | 'FINAL' | 'DIGEST' | 'DONE';
  /** Coverage page token of the current pass (absent = from the start). */
  readonly token?: string;
  readonly context: ScanContext;
  readonly groups: readonly ActiveGroup[];
  readonly line?: FundingLine;
  /** What the boundary group still has to spend (first-fit in scan order). */
  readonly boundaryLeft: Rupiah;
  /** Pool-level alerts (FILE_MISSING, RUNWAY_LOW), recorded with the last chunk. */
  readonly poolAlerts: readonly Alert[];
  readonly counts: KindCounts;
  readonly critical: number;
  readonly urgent: readonly RecordedAlert[];
  /** CSV parts written so far (one per chunk that found alerts). */
  readonly parts: number;
  readonly workersScanned: number;
  /** Key of the full CSV list in the reports bucket (set at FINAL). */
  readonly csvKey?: string;
  /** Set at FINAL when a digest is due; published in the DIGEST phase. */
  readonly message?: DigestMessage;
  readonly digest?: 'SENT' | 'NOTHING_NEW';
  /**
   * The invocation that committed this state (a random id): when a commit's answer is lost and the
   * retried write finds its own state already there, the scan knows the write was its own.
   */
  readonly writer?: string;
};

export interface ScanStateStore {
  get(pool: PoolCode, date: IsoDate): Promise<ScanState | undefined>;
  /** Conditional create: 'EXISTS' when another invocation started the same scan first. */
  create(state: ScanState): Promise<'CREATED' | 'EXISTS'>;
  /** Replaces the state if it is still at `fromStep`; 'CONFLICT' when another invocation moved it. */
  advance(next: ScanState, fromStep: number): Promise<'COMMITTED' | 'CONFLICT'>;
}
