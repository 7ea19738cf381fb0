/**
 * Decides what an uploaded file is before any parsing: empty, XLSX (zip), binary garbage, UTF-8 (with
 * or without BOM), UTF-16 with BOM (Excel's "Unicode Text") or windows-1252 text, and which delimiter
 * (`,`, `;`, tab) the table uses. The text encoding is decided on the whole file (EncodingProbe); the
 * rest on the first SNIFF_BYTES. Pure functions over bytes, so they are cheap to test.
 */
import { FileRejectedError } from './errors.ts';

/** Bytes read before deciding; the header line must end inside this window. */
export const SNIFF_BYTES = 64 * 1024;

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';
export type Delimiter = ',' | ';' | '\t';

export type Sniffed =
  | { readonly kind: 'xlsx' }
  | { readonly kind: 'text'; readonly encoding: TextEncoding; readonly bomLength: number };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
// C0 controls other than tab, LF, CR; DEL; and the U+FFFD a broken decode leaves behind.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/g;
/** More than this share of control characters in the sample means binary, not a table. */
const MAX_CONTROL_RATIO = 0.01;

/**
 * `head` holds the first bytes; `complete` says whether it is the whole file. `decided`: the encoding
 * an EncodingProbe decided from the whole file; without it the head alone decides (a file whose first
 * non-ASCII byte comes after the head is then misread: the intake always passes a decision).
 */
export function sniff(head: Buffer, complete: boolean, decided?: EncodingDecision): Sniffed {
  if (head.toString('latin1').trim() === '') throw new FileRejectedError('FILE_EMPTY', 'no content');
  if (decided?.kind === 'xlsx' || ZIP_MAGIC.every((byte, i) => head[i] === byte)) return { kind: 'xlsx' };
  if (decided !== undefined) {
    if (decided.encoding === 'utf-8' || decided.encoding === 'windows-1252') {
      if (head.includes(0)) throw new FileRejectedError('FILE_NOT_TABULAR', 'binary content (NUL bytes)');
    }
    checkControls(decodeHead(head, decided));
    return decided;
  }
  // Excel's "Unicode Text" (UTF-16 with BOM, tab-delimited) is read as it is (docs/intake.md).
  const utf16: TextEncoding | undefined =
    head[0] === 0xff && head[1] === 0xfe
      ? 'utf-16le'
      : head[0] === 0xfe && head[1] === 0xff
        ? 'utf-16be'
        : undefined;
  if (utf16 === undefined && head.includes(0)) {
    throw new FileRejectedError('FILE_NOT_TABULAR', 'binary content (NUL bytes)');
  }

  const bomLength =
    utf16 !== undefined ? 2 : head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const encoding: TextEncoding =
    utf16 ?? (isUtf8(head.subarray(bomLength), complete) ? 'utf-8' : 'windows-1252');
  checkControls(decodeHead(head, { encoding, bomLength }));
  return { kind: 'text', encoding, bomLength };
}

function checkControls(text: string): void {
  const controls = text.match(CONTROL_CHARS)?.length ?? 0;
  if (controls > Math.max(1, text.length * MAX_CONTROL_RATIO)) {
    throw new FileRejectedError('FILE_NOT_TABULAR', 'binary content (control characters)');
  }
}

function isUtf8(bytes: Buffer, complete: boolean): boolean {
  try {
    // In stream mode a multi-byte character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** The sniffed head as text (a character cut at the end of the window is left out). */
export function decodeHead(head: Buffer, sniffed: { encoding: TextEncoding; bomLength: number }): string {
  return new TextDecoder(sniffed.encoding).decode(head.subarray(sniffed.bomLength), { stream: true });
}

/** What the head of a text file says about its layout. */
export type Layout = {
  readonly delimiter: Delimiter;
  /** Line 1 is Excel's `sep=;` hint: not a row, and it named the delimiter. */
  readonly sepLine: boolean;
};

/** How many non-blank lines the header may sit under (title rows of a Pemda sheet). */
export const HEADER_SEARCH_ROWS = 20;

const SEP_HINT = /^"?sep=(.)"?\s*$/i;

/**
 * The delimiter of a CSV (docs/intake.md), in this order:
 * 1. Excel's `sep=X` hint on the first line names it (`,`, `;` or tab);
 * 2. else the first of the first HEADER_SEARCH_ROWS non-blank lines that, split by `;`, `,` or tab,
 *    holds a cell set `isHeader` accepts (the required columns): that split's delimiter;
 * 3. else the header-line heuristic: the delimiter giving the first non-blank line more fields,
 *    counted outside double quotes; a tie between two is ambiguous (FILE_NOT_TABULAR); none is `,`
 *    (a one-column table: the column check will then name what is missing).
 */
export function detectLayout(
  text: string,
  complete: boolean,
  isHeader: (cells: readonly string[]) => boolean = () => false,
): Layout {
  const first = headerLine(text, complete);
  const hint = SEP_HINT.exec(text.slice(0, text.indexOf('\n') < 0 ? undefined : text.indexOf('\n')));
  if (hint?.[1] === ',' || hint?.[1] === ';' || hint?.[1] === '\t')
    return { delimiter: hint[1], sepLine: true };
  const lines = text.split('\n');
  if (!complete) lines.pop(); // the last line may be cut by the window
  const candidates = lines.filter((line) => line.trim() !== '').slice(0, HEADER_SEARCH_ROWS);
  for (const line of candidates) {
    for (const delimiter of [';', ',', '\t'] as const) {
      if (isHeader(splitLine(line, delimiter))) return { delimiter, sepLine: false };
    }
  }
  return { delimiter: detectDelimiter(first), sepLine: false };
}

/** A line's cells split by `delimiter` outside double quotes, quotes removed, trimmed (enough to recognise a header). */
export function splitLine(line: string, delimiter: Delimiter): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line.replace(/\r$/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** The header-line heuristic of detectLayout step 3. */
function detectDelimiter(line: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  const ranked = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (best === undefined || best[1] === 0) return ',';
  if (second !== undefined && second[1] === best[1]) {
    throw new FileRejectedError(
      'FILE_NOT_TABULAR',
      'header mixes delimiters equally: delimiter is ambiguous',
      1,
    );
  }
  return best[0];
}

function headerLine(text: string, complete: boolean): string {
  const start = text.search(/\S/);
  if (start < 0) throw new FileRejectedError('FILE_EMPTY', 'no content');
  const lineStart = text.lastIndexOf('\n', start) + 1;
  const end = text.indexOf('\n', lineStart);
  if (end < 0 && !complete) {
    throw new FileRejectedError('HEADER_MISSING', `no line break in the first ${SNIFF_BYTES} bytes`, 1);
  }
  return text.slice(lineStart, end < 0 ? undefined : end);
}

/** What a whole-file probe decided: how to read every byte of the file (docs/intake.md#encoding). */
export type EncodingDecision = Sniffed;

/** Bytes windows-1252 leaves undefined: a file holding one is some other code page. */
const UNDEFINED_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Decides the text encoding of a file from ALL its bytes, streaming (docs/intake.md#encoding), so the
 * same bytes give the same decision whatever the chunk sizes of the stream and wherever the first
 * non-ASCII byte sits:
 * - zip magic: XLSX (the reader decodes its own XML);
 * - a UTF-16 BOM: that UTF-16; a UTF-8 BOM: UTF-8, and every byte after it must be UTF-8;
 * - no BOM: UTF-8 when every byte sequence is well-formed UTF-8 (WHATWG rules: no overlongs, no
 *   surrogates, nothing above U+10FFFF); windows-1252 when none of the non-ASCII bytes forms a UTF-8
 *   sequence and none is one of the five bytes windows-1252 leaves undefined;
 * - otherwise it cannot be decided: ENCODING_MIXED (both UTF-8 sequences and bytes that are not) or
 *   ENCODING_UNKNOWN (an undefined windows-1252 byte), a whole-file rejection.
 * Feed it with `add` in order, then `finish`. Cost: one pass over the bytes, constant memory.
 */
export class EncodingProbe {
  #start: number[] = [];
  /** Continuation bytes still expected, and the bounds of the next one (WHATWG UTF-8 decoder). */
  #needed = 0;
  #lower = 0x80;
  #upper = 0xbf;
  #pending = 0;
  #utf8Sequences = 0;
  #invalid = 0;
  #undefined1252 = 0;
  #bytes = 0;

  add(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.#start.length < 4) this.#start.push(byte);
      this.#bytes += 1;
      this.#step(byte);
    }
  }

  #step(byte: number): void {
    if (this.#needed > 0) {
      if (byte >= this.#lower && byte <= this.#upper) {
        this.#lower = 0x80;
        this.#upper = 0xbf;
        this.#pending += 1;
        if (this.#pending === this.#needed) {
          this.#utf8Sequences += 1;
          this.#needed = 0;
          this.#pending = 0;
        }
        return;
      }
      // A sequence cut short: its lead was not UTF-8; judge this byte afresh.
      this.#invalid += 1;
      this.#needed = 0;
      this.#pending = 0;
      this.#lower = 0x80;
      this.#upper = 0xbf;
    }
    if (byte < 0x80) return;
    if (UNDEFINED_1252.has(byte)) this.#undefined1252 += 1;
    if (byte >= 0xc2 && byte <= 0xdf) this.#needed = 1;
    else if (byte >= 0xe0 && byte <= 0xef) {
      this.#needed = 2;
      if (byte === 0xe0) this.#lower = 0xa0;
      if (byte === 0xed) this.#upper = 0x9f;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      this.#needed = 3;
      if (byte === 0xf0) this.#lower = 0x90;
      if (byte === 0xf4) this.#upper = 0x8f;
    } else this.#invalid += 1;
  }

  /** The decision, or FileRejectedError (FILE_EMPTY, ENCODING_MIXED, ENCODING_UNKNOWN). */
  finish(): EncodingDecision {
    const head = Buffer.from(this.#start);
    if (this.#bytes === 0) throw new FileRejectedError('FILE_EMPTY', 'no content');
    if (ZIP_MAGIC.every((byte, i) => head[i] === byte)) return { kind: 'xlsx' };
    if (head[0] === 0xff && head[1] === 0xfe) return { kind: 'text', encoding: 'utf-16le', bomLength: 2 };
    if (head[0] === 0xfe && head[1] === 0xff) return { kind: 'text', encoding: 'utf-16be', bomLength: 2 };
    const invalid = this.#invalid + (this.#needed > 0 ? 1 : 0);
    const utf8Bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    if (invalid === 0) return { kind: 'text', encoding: 'utf-8', bomLength: utf8Bom ? 3 : 0 };
    if (utf8Bom || this.#utf8Sequences > 0) {
      throw new FileRejectedError(
        'ENCODING_MIXED',
        `${utf8Bom ? 'a UTF-8 BOM' : `${this.#utf8Sequences} UTF-8 sequences`} and ${invalid} bytes that are not UTF-8`,
      );
    }
    if (this.#undefined1252 > 0) {
      throw new FileRejectedError(
        'ENCODING_UNKNOWN',
        `${this.#undefined1252} bytes that windows-1252 leaves undefined`,
      );
    }
    return { kind: 'text', encoding: 'windows-1252', bomLength: 0 };
  }
}
