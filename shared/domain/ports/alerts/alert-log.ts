import type { Alert, RecordedAlert } from '#domain/alerts.ts';
import type { IsoDate } from '#domain/model.ts';

/** Append-only alert log: each alert id is written once; later sightings only read it back. */
export interface AlertLog {
  /**
   * Records every alert not yet in the log with `firstSeen = date` (conditional put) and returns each
   * alert as the log holds it, so a redone chunk sees today's alerts as new again and older ones as
   * still open.
   */
  record(alerts: readonly Alert[], date: IsoDate): Promise<RecordedAlert[]>;
}
