/**
 * The registry table's items of a file version, an agency+period head, a content's first file and a held
 * version's marker: their keys and the shapes read back (zod). The layout is described in
 * dynamodb-file-registry.ts, which is the only reader and writer.
 */
import { z } from 'zod';
import type { AgencyCode, Period, PoolCode } from '#domain/model.ts';

export const fileItemSchema = z.object({
  fileId: z.string(),
  kind: z.enum(['PAYROLL', 'WORKERS', 'GRANTS', 'BPJS']),
  key: z.string(),
  pool: z.string(),
  period: z.string().optional(),
  agency: z.string().optional(),
  contentHash: z.string(),
  status: z.enum([
    'ACCEPTED',
    'PARTIALLY_REJECTED',
    'REJECTED',
    'DUPLICATE',
    'SUPERSEDED',
    'PENDING_CONFIRMATION',
    'WITHDRAWN',
    'EXPIRED',
    'PROCESSING',
  ]),
  dataRows: z.number(),
  acceptedRows: z.number(),
  acceptedAmount: z.number(),
  rejectedRows: z.number(),
  rejectedAmount: z.number(),
  rejectReason: z.string().optional(),
  sheet: z.string().optional(),
  footerLine: z.number().optional(),
  footerRows: z.number().optional(),
  agencyRegistered: z.boolean().optional(),
  reportKey: z.string(),
  snapshotKey: z.string().optional(),
  supersedes: z.string().optional(),
  baseHeadVersion: z.number().optional(),
  supersededBy: z.string().optional(),
  etag: z.string().optional(),
  emitStarted: z.boolean().optional(),
  receivedAt: z.string(),
  processedAt: z.string().optional(),
  upload: z.string().optional(),
  duplicateOf: z.string().optional(),
  firstReceivedAt: z.string().optional(),
  mode: z.enum(['REPLACE', 'CORRECTION', 'WITHDRAWAL']).optional(),
  late: z.boolean().optional(),
  reason: z.string().optional(),
  requestedBy: z.string().optional(),
  withdraws: z.string().optional(),
  delta: z.number().optional(),
  monthTotal: z.number().optional(),
  pending: z
    .object({
      baseFileId: z.string(),
      baseHeadVersion: z.number(),
      expiresAt: z.string(),
      removedRows: z.number(),
      loweredRows: z.number(),
      addedRows: z.number(),
      raisedRows: z.number(),
      takenAway: z.number(),
      added: z.number(),
      delta: z.number(),
      totalBefore: z.number(),
      totalAfter: z.number(),
      diffKey: z.string(),
      lines: z.array(
        z.object({
          nip: z.string(),
          workerNik: z.string().optional(),
          before: z.number(),
          after: z.number(),
        }),
      ),
    })
    .optional(),
  decision: z
    .object({
      action: z.enum(['CONFIRMED', 'WITHDRAWN', 'EXPIRED']),
      by: z.string(),
      at: z.string(),
      note: z.string().optional(),
    })
    .optional(),
});

export const headItemSchema = z.object({
  pool: z.string(),
  period: z.string(),
  agency: z.string(),
  activeFileId: z.string(),
  contentHash: z.string(),
  version: z.number().int(),
});

/** A held version's marker (its key is {@link heldKey}). */
export const heldItemSchema = z.object({ fileId: z.string() });

export const contentItemSchema = z.object({ fileId: z.string(), receivedAt: z.string() });

export const fileKey = (fileId: string) => ({ pk: `FILE#${fileId}`, sk: 'FILE' });
export const heldKey = (pool: PoolCode, expiresAt: string, fileId: string) => ({
  pk: `HELD#${pool}`,
  sk: `${expiresAt}#${fileId}`,
});
export const headKey = (pool: PoolCode, period: Period, agency: AgencyCode) => ({
  pk: `FILEHEAD#${pool}#${period}`,
  sk: agency,
});
