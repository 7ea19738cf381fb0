/**
 * Reports as the CLI hands them to a person: fetched from the reports bucket (local cloud or AWS)
 * through the SDK, so nobody needs the AWS CLI, saved as a file, and for a rejection report the first
 * rows printed where the sender is looking. The rows' values were masked by the validators before the
 * report was written; nothing here unmasks.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Table } from '#shared/csv/export.ts';
import { REPORT_COLUMNS } from '#shared/intake/rejection-report.ts';
import { CliUsageError } from './usage.ts';

/** How many rejected rows `submit` prints; the rest are counted, and all are in the saved file. */
export const PREVIEW_ROWS = 20;

export async function fetchObject(s3: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (res.Body === undefined) throw new Error('empty body');
    return await res.Body.transformToByteArray();
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'NoSuchKey' || name === 'NotFound') {
      throw new CliUsageError(`s3://${bucket}/${key}: no such report`);
    }
    throw err;
  }
}

/** Writes the bytes to `path` (folders made as needed) and returns the path. */
export async function saveReport(path: string, body: Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
  return path;
}

/** Where a report lands locally by default: its key under the data dir (keys start with `reports/`). */
export function defaultReportPath(dataDir: string, key: string): string {
  return join(dataDir, key);
}

/** `s3://bucket/key` or a bare key (then the reports bucket): the bucket and key to fetch. */
export function parseReportRef(ref: string, reportsBucket: string): { bucket: string; key: string } {
  const uri = /^s3:\/\/([^/]+)\/(.+)$/.exec(ref);
  const bucket = uri ? (uri[1] ?? '') : reportsBucket;
  const key = uri ? (uri[2] ?? '') : ref.replace(/^\/+/, '');
  // The key also names the local file under the data dir: it must not climb out of it.
  if (key === '' || key.split('/').includes('..')) throw new CliUsageError(`${ref}: not a report key`);
  return { bucket, key };
}

const rowSchema = z.tuple([z.string(), z.string(), z.string(), z.string(), z.string(), z.string()]);

export type RejectionPreview = { readonly table: Table; readonly total: number; readonly more: number };

/** The first `limit` rejected rows of a rejection report CSV (BOM, `;`) and how many more there are. */
export function previewRejections(csv: Uint8Array | string, limit = PREVIEW_ROWS): RejectionPreview {
  const text = typeof csv === 'string' ? csv : Buffer.from(csv).toString('utf8');
  const records = parse(text, { bom: true, delimiter: ';', relax_column_count: true }) as unknown[];
  const [head, ...rows] = records;
  const header = z.array(z.string()).parse(head ?? []);
  if (header.join(';') !== REPORT_COLUMNS.join(';')) {
    throw new Error(`not a rejection report (header ${header.join(';')})`);
  }
  const parsed = rows.map((r) => rowSchema.parse(r));
  return {
    table: {
      header: [...REPORT_COLUMNS],
      rows: parsed
        .slice(0, limit)
        .map(([line, ...rest]) => [/^\d+$/.test(line) ? Number(line) : line, ...rest]),
    },
    total: parsed.length,
    more: Math.max(0, parsed.length - limit),
  };
}
