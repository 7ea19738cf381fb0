/**
 * Streams the worksheets of an XLSX through exceljs's streaming WorkbookReader, each row tagged with its
 * sheet (index and name). exceljs parks a worksheet in a temp file when it precedes the shared strings
 * in the zip, so memory stays flat either way. Any failure of exceljs/unzipper on the bytes means "not
 * a readable XLSX"; a failure of the source stream itself (S3) is rethrown untouched so the caller
 * retries. Which sheet is the table is decided in open-table.ts (docs/intake.md, "Which sheet").
 * exceljs and jszip load on the first XLSX, not with this module: a function that never sees one
 * (most invocations of the intake functions) does not pay for them at cold start.
 */
import { Readable } from 'node:stream';
import { cellText, isBlankRow, toRow } from './cells.ts';
import { FileRejectedError } from './errors.ts';
import type { TableRow } from './table.ts';

/** One worksheet as the workbook declares it. Its rows must be consumed before the next sheet is read. */
export type XlsxSheet = {
  /** 0-based, in the order the sheets are stored. */
  readonly index: number;
  readonly name: string;
  /** Hidden or very hidden: the treasurer does not see it, so it is never the table. */
  readonly hidden: boolean;
  /** The sheet that was on screen when the workbook was saved (the workbook view's active tab). */
  readonly active: boolean;
  /** Non-blank rows, cells as text; `convert(false)` rows are yielded with no cells (only counted). */
  readonly rows: AsyncGenerator<TableRow>;
};

type SheetModel = { readonly name?: string; readonly state?: string };
type BookModel = {
  readonly sheets?: readonly SheetModel[];
  readonly views?: readonly { activeTab?: number }[];
};

let loadedExcelJs: typeof import('exceljs') | undefined;

/** Loads exceljs (once); open-table.ts calls it when an XLSX arrives, before reading the workbook. */
export async function loadExcelJs(): Promise<typeof import('exceljs')> {
  loadedExcelJs ??= (await import('exceljs')).default;
  return loadedExcelJs;
}

/**
 * The workbook's sheets in stored order. `wanted(sheet)` false: the sheet's XML is still parsed (the zip
 * is read in order) but no row of it is converted or yielded.
 */
export async function* xlsxSheets(
  bytes: AsyncIterable<Buffer>,
  maxFieldLength: number,
  wanted: (sheet: Omit<XlsxSheet, 'rows'>) => boolean = () => true,
  book?: WorkbookParts,
): AsyncGenerator<XlsxSheet> {
  const source: { error?: unknown } = {};
  async function* guarded(): AsyncGenerator<Buffer> {
    try {
      yield* bytes;
    } catch (error) {
      source.error = error;
      throw error;
    }
  }
  // Without an await once loaded: the reader must start in the same turn as before (stream timing).
  const ExcelJS = loadedExcelJs ?? (await loadExcelJs());
  const input = Readable.from(guarded());
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // needed to tell a date cell from a number
    entries: 'ignore',
  });
  if (book !== undefined) {
    // exceljs names a worksheet (and says whether it is hidden) from workbook.xml; a zip that stores
    // workbook.xml after the sheets (as exceljs itself writes it) leaves it without, or failing.
    Object.assign(reader, {
      model: book.model,
      workbookRels: book.rels,
      // No shared strings part: nothing to wait for before reading a sheet straight from the zip.
      ...(book.sharedStrings === false ? { sharedStrings: [] } : {}),
    });
  }
  let index = -1;
  try {
    for await (const worksheet of reader) {
      index++;
      const ws = worksheet as unknown as { name?: string; state?: string };
      const model = (reader as unknown as { model?: BookModel }).model;
      const name = ws.name ?? `Sheet${index + 1}`;
      const activeTab = model?.views?.[0]?.activeTab ?? 0;
      const activeName = model?.sheets?.[activeTab]?.name;
      const info = {
        index,
        name,
        hidden: ws.state === 'hidden' || ws.state === 'veryHidden',
        active: activeName === undefined ? index === 0 : activeName === name,
      };
      const convert = wanted(info);
      // The worksheet is pulled by hand so that a consumer who stops early does not end exceljs's
      // parse: whatever it left unread is drained here before the next sheet.
      const cursor = (worksheet as unknown as AsyncIterable<{ number: number; values: unknown }>)[
        Symbol.asyncIterator
      ]();
      let finished = false;
      async function* rows(): AsyncGenerator<TableRow> {
        for (;;) {
          const next = await cursor.next();
          if (next.done) {
            finished = true;
            return;
          }
          if (!convert) continue;
          const row = next.value;
          const values = Array.isArray(row.values) ? row.values.slice(1) : [];
          const cells = Array.from(values, (value) => cellText(value));
          const tableRow = toRow(row.number, cells, maxFieldLength);
          if (!isBlankRow(tableRow.cells)) yield { ...tableRow, sheet: index, sheetName: name };
        }
      }
      yield { ...info, rows: rows() };
      while (!finished) finished = (await cursor.next()).done === true;
    }
  } catch (error) {
    if (source.error !== undefined) throw source.error;
    if (error instanceof FileRejectedError) throw error;
    throw new FileRejectedError(
      'FILE_NOT_TABULAR',
      'berkas XLSX tidak dapat dibaca (rusak atau bukan buku kerja Excel): buka di Excel, simpan ulang sebagai .xlsx, lalu kirim ulang / the XLSX cannot be read',
    );
  } finally {
    input.destroy();
  }
  if (index < 0) {
    throw new FileRejectedError(
      'FILE_NOT_TABULAR',
      'berkas XLSX tanpa lembar kerja: simpan ulang dari Excel dengan daftar potongan di satu lembar / XLSX without a worksheet',
    );
  }
}

/** The rows of the sheets `read` selects, in order, each tagged with its sheet. */
export async function* xlsxRows(
  bytes: AsyncIterable<Buffer>,
  maxFieldLength: number,
  read: (sheet: Omit<XlsxSheet, 'rows'>) => boolean = () => true,
  book?: WorkbookParts,
): AsyncGenerator<TableRow> {
  for await (const sheet of xlsxSheets(bytes, maxFieldLength, read, book)) {
    if (read(sheet)) yield* sheet.rows;
  }
}

/** What exceljs reads from `xl/workbook.xml` and its rels: sheet names, states, the active tab. */
export type WorkbookParts = {
  readonly model: BookModel & { readonly sheets: readonly (SheetModel & { rId: string })[] };
  readonly rels: readonly { readonly Id: string; readonly Target: string }[];
  /** false: the workbook has no shared strings part (every text inline), so none will come. */
  readonly sharedStrings?: boolean;
};

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) out[m[1] ?? ''] = unescapeXml(m[2] ?? '');
  return out;
}

/**
 * Reads only `xl/workbook.xml` and `xl/_rels/workbook.xml.rels` of a workbook held in memory (jszip
 * inflates just those two entries), so the streaming reader knows every sheet's name and state before
 * the first sheet, wherever the zip stores workbook.xml. Undefined when they cannot be read (the
 * streaming reader then reports the file as unreadable).
 */
export async function readWorkbookParts(xlsx: Buffer): Promise<WorkbookParts | undefined> {
  try {
    const { default: JSZip } = await import('jszip');
    return await partsOf(await JSZip.loadAsync(xlsx));
  } catch {
    return undefined;
  }
}

/** Parts first, sheets last: the order in which the streaming reader reads a sheet straight from the zip. */
const STREAMING_ORDER = [
  /^xl\/workbook\.xml$/,
  /^xl\/_rels\/workbook\.xml\.rels$/,
  /^xl\/sharedStrings\.xml$/,
  /^xl\/styles\.xml$/,
];

/**
 * The workbook held in memory, stored again with its parts (workbook.xml and its rels, the shared
 * strings, the styles) before the sheets, with its parts read. Excel and exceljs store the shared strings
 * after the sheets, which makes exceljs's streaming reader park every sheet in a temp file and read
 * them back after the zip ends; that path lost sheets under load (a list read as if it had no header).
 * With the parts first every sheet is read straight from the zip, once. A sheet's XML is inflated once
 * here (an 80,000-row sheet is some tens of MB, within the intake function's memory). `bytes` is the
 * original when the zip cannot be read by jszip (the streaming reader then reports the file).
 */
export async function streamingWorkbook(
  xlsx: Buffer,
): Promise<{ readonly bytes: Buffer; readonly parts?: WorkbookParts }> {
  try {
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(xlsx);
    const parts = await partsOf(zip);
    const names = Object.keys(zip.files).filter((n) => zip.files[n]?.dir === false);
    const rank = (n: string) => {
      const i = STREAMING_ORDER.findIndex((re) => re.test(n));
      return i >= 0 ? i : /^xl\/worksheets\//.test(n) ? STREAMING_ORDER.length + 1 : STREAMING_ORDER.length;
    };
    const out = new JSZip();
    for (const name of [...names].sort((a, b) => rank(a) - rank(b))) {
      const entry = zip.files[name];
      if (entry !== undefined) out.file(name, await entry.async('nodebuffer'));
    }
    const bytes = await out.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
      compressionOptions: { level: 1 },
    });
    return {
      bytes,
      ...(parts === undefined
        ? {}
        : { parts: { ...parts, sharedStrings: names.includes('xl/sharedStrings.xml') } }),
    };
  } catch {
    return { bytes: xlsx };
  }
}

/** workbook.xml's sheets (name, state, rel id) and active tab, and its rels, as exceljs keeps them. */
async function partsOf(zip: import('jszip')): Promise<WorkbookParts | undefined> {
  const workbook = await zip.file('xl/workbook.xml')?.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')?.async('string');
  if (workbook === undefined || rels === undefined) return undefined;
  const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\s[^>]*>/g)].map((m) => {
    const a = attributes(m[0]);
    const rId = Object.entries(a).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1] ?? '';
    return { name: a.name ?? '', state: a.state ?? 'visible', rId };
  });
  const view = /<(?:\w+:)?workbookView\s[^>]*>/.exec(workbook)?.[0];
  const activeTab = Number(attributes(view ?? '').activeTab ?? 0);
  const relations = [...rels.matchAll(/<(?:\w+:)?Relationship\s[^>]*>/g)].map((m) => {
    const a = attributes(m[0]);
    // exceljs matches `worksheets/sheetN.xml`; some writers store `/xl/worksheets/sheetN.xml`.
    return { Id: a.Id ?? '', Target: (a.Target ?? '').replace(/^\/?xl\//, '') };
  });
  return { model: { sheets, views: [{ activeTab }] }, rels: relations };
}
