/**
 * dBase III / FoxPro / Visual FoxPro tables (`.dbf`), as payroll systems such as Taspen's SIMGAJI
 * export them, read through dbffile (docs/intake.md, "dBase files"). dbffile reads from a path, so the
 * upload is spooled to a temp file first; records are then read in batches of RECORD_BATCH, so memory
 * stays flat whatever the record count. The field names are the header row (line 0: the table as a
 * whole); each record is a row numbered by its record number, as dBase and FoxPro show it (`RECNO()`),
 * deleted records (`*`) counted but not read.
 *
 * Text is decoded with the code page the file declares in its header (language driver byte 29); a file
 * that declares none (dBase III before code pages) is read as windows-1252, the Windows default where
 * these files are made; a code page not in CODE_PAGES rejects the file whole with what to do.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DBFFile } from 'dbffile';
import { cellText, isBlankRow, toRow } from './cells.ts';
import { FileRejectedError } from './errors.ts';
import type { Table, TableRow } from './table.ts';

const RECORD_BATCH = 500;

/** Language driver ids (dBase/FoxPro header byte 29) and the code pages they declare (iconv-lite names). */
export const CODE_PAGES: ReadonlyMap<number, string> = new Map([
  [0x00, 'windows-1252'], // none declared (dBase III): the Windows default
  [0x01, 'cp437'],
  [0x02, 'cp850'],
  [0x03, 'windows-1252'],
  [0x26, 'cp866'],
  [0x57, 'windows-1252'], // "ANSI", what Visual FoxPro and SIMGAJI-era tools write
  [0x58, 'windows-1252'],
  [0x59, 'windows-1252'],
  [0x64, 'cp852'],
  [0x65, 'cp866'],
  [0x66, 'cp865'],
  [0x67, 'cp861'],
  [0x6a, 'cp737'],
  [0x6b, 'cp857'],
  [0x7c, 'cp874'],
  [0x7d, 'windows-1255'],
  [0x7e, 'windows-1256'],
  [0xc8, 'windows-1250'],
  [0xc9, 'windows-1251'],
  [0xca, 'windows-1254'],
  [0xcb, 'windows-1253'],
]);

/** Version bytes of dBase III (with or without memo), dBase IV/V, FoxPro and Visual FoxPro tables. */
const VERSIONS = new Set([
  0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8b, 0x8e, 0xcb, 0xf5, 0xfb,
]);

/** A `.dbf` name (any case): such a file is read as a dBase table, never sniffed as text. */
export function isDbfName(fileName: string): boolean {
  return /\.dbf$/i.test(fileName);
}

const notDbf = (why: string) =>
  new FileRejectedError(
    'FILE_NOT_TABULAR',
    `berkas .dbf tidak dapat dibaca (${why}): ekspor ulang dari aplikasi gaji (mis. SIMGAJI) lalu kirim ulang / not a readable dBase file`,
  );

/**
 * Opens a dBase table. The rows start with the field names (line 0), then one row per live record.
 * A failure of the source stream itself is rethrown untouched (retried); broken bytes are
 * FILE_NOT_TABULAR, an unknown code page FILE_ENCODING, each in Bahasa with what to do.
 */
export async function openDbf(
  bytes: AsyncIterable<Buffer>,
  maxFieldLength: number,
): Promise<
  Omit<Table, 'header'> & { readonly rows: AsyncGenerator<TableRow>; readonly close: () => Promise<void> }
> {
  const dir = await mkdtemp(join(tmpdir(), 'sertakan-dbf-'));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const path = join(dir, 'table.dbf');
    await pipeline(Readable.from(bytes), createWriteStream(path));
    const encoding = await checkHeader(path);
    // dbffile loads with the first DBF, not with this module (a cold start rarely sees one).
    const dbffile = await import('dbffile');
    let dbf: DBFFile;
    try {
      dbf = await dbffile.DBFFile.open(path, { encoding, readMode: 'loose', includeDeletedRecords: true });
    } catch {
      throw notDbf('struktur tabel rusak');
    }
    const names = dbf.fields.map((f) => f.name);
    async function* rows(): AsyncGenerator<TableRow> {
      try {
        yield { line: 0, cells: [...names] };
        let recno = 0;
        for (;;) {
          let batch: Awaited<ReturnType<DBFFile['readRecords']>>;
          try {
            batch = await dbf.readRecords(RECORD_BATCH);
          } catch {
            throw notDbf(`catatan ke-${recno + 1} rusak`);
          }
          if (batch.length === 0) return;
          for (const record of batch) {
            recno++;
            if (record[dbffile.DELETED]) continue;
            const row = toRow(
              recno,
              names.map((name) => cellText(record[name])),
              maxFieldLength,
            );
            if (!isBlankRow(row.cells)) yield row;
          }
        }
      } finally {
        await close();
      }
    }
    return { format: 'dbf', encoding, rows: rows(), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Reads the 32-byte header: a known version, a sane layout, a whole file, a known code page. */
async function checkHeader(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(32);
    const { bytesRead } = await file.read(head, 0, 32, 0);
    if (bytesRead < 32) throw notDbf('terlalu pendek');
    if (!VERSIONS.has(head[0] ?? -1)) throw notDbf('bukan tabel dBase/FoxPro');
    const records = head.readUInt32LE(4);
    const headerLength = head.readUInt16LE(8);
    const recordLength = head.readUInt16LE(10);
    if (headerLength < 33 || recordLength < 1) throw notDbf('kepala tabel rusak');
    if (size < headerLength + records * recordLength) throw notDbf('berkas terpotong');
    const driver = head[29] ?? 0;
    const codePage = CODE_PAGES.get(driver);
    if (codePage === undefined) {
      throw new FileRejectedError(
        'FILE_ENCODING',
        `halaman kode (code page) berkas .dbf tidak dikenal (0x${driver.toString(16)}): ekspor ulang dengan code page Windows ANSI (1252) / unknown dBase code page`,
      );
    }
    return codePage;
  } finally {
    await file.close();
  }
}
