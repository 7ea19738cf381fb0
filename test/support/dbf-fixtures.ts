/**
 * dBase tables shaped like a SIMGAJI payroll export (NIP, NAMA, KDSKPD, KDSATKER, GAPOK and the
 * SERTAKAN deduction POTSERTAK), written by dbffile's own writer, so tests and the bench read what
 * the library writes. dbffile writes no language driver id (header byte 29) and no deleted records:
 * `languageDriver` and `deleted` patch them in as dBase/FoxPro would.
 */
import { open } from 'node:fs/promises';
import { DBFFile, type FieldDescriptor } from 'dbffile';

export type SimgajiRow = {
  readonly nip: string;
  readonly nama: string;
  readonly gapok: number;
  readonly potongan: number;
};

export const SIMGAJI_FIELDS: FieldDescriptor[] = [
  { name: 'NIP', type: 'C', size: 18 },
  { name: 'NAMA', type: 'C', size: 40 },
  { name: 'KDSKPD', type: 'C', size: 10 },
  { name: 'KDSATKER', type: 'C', size: 10 },
  { name: 'GAPOK', type: 'N', size: 12, decimalPlaces: 0 },
  { name: 'POTSERTAK', type: 'N', size: 10, decimalPlaces: 0 },
];

export async function writeSimgajiDbf(
  path: string,
  rows: Iterable<SimgajiRow>,
  opts: {
    /** 0x03 dBase III (default), 0x30 Visual FoxPro. */
    readonly version?: 0x03 | 0x30;
    /** Header byte 29 (0x57 = ANSI/windows-1252 as FoxPro writes it); default 0x57. */
    readonly languageDriver?: number;
    /** 1-based record numbers to mark deleted (`*`). */
    readonly deleted?: readonly number[];
  } = {},
): Promise<void> {
  const dbf = await DBFFile.create(path, SIMGAJI_FIELDS, {
    fileVersion: opts.version ?? 0x03,
    encoding: 'windows-1252',
  });
  let batch: Record<string, unknown>[] = [];
  for (const r of rows) {
    batch.push({
      NIP: r.nip,
      NAMA: r.nama,
      KDSKPD: '1.02.01',
      KDSATKER: '01',
      GAPOK: r.gapok,
      POTSERTAK: r.potongan,
    });
    if (batch.length === 1000) {
      await dbf.appendRecords(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await dbf.appendRecords(batch);
  const file = await open(path, 'r+');
  try {
    const head = Buffer.alloc(32);
    await file.read(head, 0, 32, 0);
    await file.write(Buffer.from([opts.languageDriver ?? 0x57]), 0, 1, 29);
    const headerLength = head.readUInt16LE(8);
    const recordLength = head.readUInt16LE(10);
    for (const n of opts.deleted ?? []) {
      await file.write(Buffer.from('*'), 0, 1, headerLength + (n - 1) * recordLength);
    }
  } finally {
    await file.close();
  }
}
