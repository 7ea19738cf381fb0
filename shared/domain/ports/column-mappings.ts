import type { ColumnMapping } from '#domain/column-mapping.ts';
import type { AgencyCode, PoolCode } from '#domain/model.ts';

/** Saved column mappings, one per pool and agency (docs/intake.md, "Column mapping per agency"). */
export interface ColumnMappings {
  get(pool: PoolCode, agency: AgencyCode): Promise<ColumnMapping | undefined>;
  /** Creates or replaces the agency's mapping. */
  put(mapping: ColumnMapping): Promise<void>;
  /** Removes it: the agency's files are read by the built-in names again. */
  remove(pool: PoolCode, agency: AgencyCode): Promise<void>;
}
