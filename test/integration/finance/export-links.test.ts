import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3ExportLinks } from '#shared/adapters/s3-export-links.ts';
import { useLocalCloud } from '#test/support/local-cloud.ts';

const cloud = useLocalCloud();

describe('export links on the local S3', () => {
  it('presigns a GET that a plain HTTP client can read, and says undefined for a file not written', async () => {
    const { clients, names } = cloud();
    const bucket = names.buckets.reports;
    const key = 'reports/bpjs-bill/15.04/2026-02.csv';
    const csv = '\uFEFFkpj;nik;nama;paket;jumlah\r\nTOTAL;0;;;0\r\n';
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv }));
    const links = new S3ExportLinks({
      s3: clients.s3,
      bucket,
      clock: { now: () => new Date('2026-03-01T00:00:00Z') },
      expiresInSeconds: 120,
    });
    const link = await links.link(key);
    expect(link?.expiresAt).toBe('2026-03-01T00:02:00.000Z');
    const url = new URL(link?.url ?? '');
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    // Bytes, not res.text(): the BOM Indonesian Excel needs must arrive too.
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toBe(csv);
    expect(await links.link('reports/bpjs-bill/15.04/2026-01.csv')).toBeUndefined();
  });
});
