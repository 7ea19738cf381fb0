import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '#shared/intake/errors.ts';
import { EncodingProbe, SNIFF_BYTES } from '#shared/intake/sniff.ts';
import { makeSplitPayrollFile } from '#shared/use-cases/intake/split-payroll-file.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { fixedClock, lateQuoteCp1252, nipOf } from './payroll-fixtures.ts';

const KEY = 'incoming/payroll/15.04/2026-01/DINKES.csv';

const probe = (bytes: Uint8Array, chunk = 7): ReturnType<EncodingProbe['finish']> => {
  const p = new EncodingProbe();
  for (let i = 0; i < bytes.length; i += chunk) p.add(bytes.subarray(i, i + chunk));
  return p.finish();
};

async function splitWithChunks(body: Uint8Array, chunkSize: number) {
  const fakes = makeIntakeFakes();
  fakes.objects.streamChunkSize = chunkSize;
  await fakes.objects.put(INTAKE_BUCKET, KEY, body, 'text/csv');
  const split = makeSplitPayrollFile({ ...fakes, clock: fixedClock(), reportsBucket: REPORTS_BUCKET });
  const out = await split({ bucket: INTAKE_BUCKET, key: KEY });
  const emitted = fakes.queue.sent.flatMap((c) => c.entries);
  return { out, emitted };
}

describe('the text encoding is decided on the whole file', () => {
  it('a windows-1252 file whose only `’` come after 64 KiB: same result at every chunk size, all rows taken', async () => {
    const { body, quoteOffset } = lateQuoteCp1252();
    expect(quoteOffset).toBeGreaterThan(SNIFF_BYTES);
    const results = [];
    for (const size of [1024, 4096, SNIFF_BYTES + 1, 1 << 20])
      results.push(await splitWithChunks(body, size));
    for (const { out, emitted } of results) {
      expect(out.status).toBe('ACCEPTED');
      expect(out.counts).toEqual({ dataRows: 1_400, acceptedRows: 1_400, rejectedRows: 0 });
      expect(out.amounts).toEqual({ accepted: 23_520_000, rejected: 0 });
      // What the outcome says is what was emitted to the ledger.
      expect(emitted.length).toBe(1_400);
      expect(emitted.reduce((s, e) => s + e.amount, 0)).toBe(23_520_000);
      expect(out.fileId).toBe(results[0]?.out.fileId);
    }
  });

  it('the probe: UTF-8, windows-1252, BOMs and XLSX decided alike at any chunk size', () => {
    const utf8 = Buffer.from('nip;nama\n1;Ma\u2019ruf\n', 'utf8');
    for (const chunk of [1, 2, 3, 64]) {
      expect(probe(utf8, chunk)).toEqual({ kind: 'text', encoding: 'utf-8', bomLength: 0 });
      expect(probe(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), chunk)).toMatchObject({
        encoding: 'utf-8',
        bomLength: 3,
      });
    }
    expect(probe(Buffer.from('a;b\n1;Jos\u00e9\n', 'latin1'))).toMatchObject({ encoding: 'windows-1252' });
    expect(probe(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toMatchObject({ encoding: 'utf-16le' });
    expect(probe(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]))).toEqual({ kind: 'xlsx' });
    // A 4-byte emoji, an overlong and a surrogate: only the first is UTF-8.
    expect(probe(Buffer.from('x\u{1F600}y', 'utf8'), 1)).toMatchObject({ encoding: 'utf-8' });
    expect(probe(Buffer.from([0x61, 0xc0, 0xaf]))).toMatchObject({ encoding: 'windows-1252' });
    expect(probe(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toMatchObject({ encoding: 'windows-1252' });
  });

  it('a file that is part UTF-8 and part windows-1252, or uses an undefined byte, is rejected whole with a reason', async () => {
    const mixed = Buffer.concat([
      Buffer.from(`nip;nama;periode;jumlah\r\n${nipOf(0)};Jos\u00e9;2026-01;16800\r\n`, 'utf8'),
      Buffer.from(`${nipOf(1)};Ma\u0092ruf;2026-01;16800\r\n`, 'latin1'),
    ]);
    expect(() => probe(mixed)).toThrow(FileRejectedError);
    expect(() => probe(mixed)).toThrow(/ENCODING_MIXED/);
    expect(() => probe(Buffer.from([0x61, 0x81, 0x62]))).toThrow(/ENCODING_UNKNOWN/);
    expect(() => probe(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x92]))).toThrow(/ENCODING_MIXED/);
    for (const size of [5, 4096]) {
      const { out, emitted } = await splitWithChunks(mixed, size);
      expect(out).toMatchObject({ status: 'REJECTED', rejectReason: 'ENCODING_MIXED' });
      expect(out.counts.acceptedRows).toBe(0);
      expect(out.amounts.accepted).toBe(0);
      expect(emitted).toEqual([]);
    }
  });
});
