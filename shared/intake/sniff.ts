/**
 * Looks at the first bytes of an uploaded file to decide what it is before any parsing: empty, XLSX
 * (zip), binary garbage, UTF-8 (with or without BOM) or Latin-1/windows-1252 text, and which
 * delimiter the header line uses. Pure functions over a Buffer, so they are cheap to test.
 */
import { FileRejectedError } from './errors.ts';

/** Bytes read before deciding; the header line must end inside this window. */
export const SNIFF_BYTES = 64 * 1024;

export type Sniffed =
  | { readonly kind: 'xlsx' }
  | { readonly kind: 'text'; readonly encoding: 'utf-8' | 'windows-1252'; readonly bomLength: number };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
// C0 controls other than tab, LF, CR; DEL; and the U+FFFD a broken decode leaves behind.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/g;
/** More than this share of control characters in the sample means binary, not a table. */
const MAX_CONTROL_RATIO = 0.01;

/** `head` holds the first bytes; `complete` says whether it is the whole file. */
export function sniff(head: Buffer, complete: boolean): Sniffed {
  if (head.toString('latin1').trim() === '') throw new FileRejectedError('FILE_EMPTY', 'no content');
  if (ZIP_MAGIC.every((byte, i) => head[i] === byte)) return { kind: 'xlsx' };
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new FileRejectedError('FILE_ENCODING', 'UTF-16 text; save the file as CSV UTF-8');
  }
  if (head.includes(0)) throw new FileRejectedError('FILE_NOT_TABULAR', 'binary content (NUL bytes)');

  const bomLength = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const encoding = isUtf8(head.subarray(bomLength), complete) ? 'utf-8' : 'windows-1252';
  const text = new TextDecoder(encoding).decode(head.subarray(bomLength));
  const controls = text.match(CONTROL_CHARS)?.length ?? 0;
  if (controls > Math.max(1, text.length * MAX_CONTROL_RATIO)) {
    throw new FileRejectedError('FILE_NOT_TABULAR', 'binary content (control characters)');
  }
  return { kind: 'text', encoding, bomLength };
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

/**
 * The delimiter of the header line (first non-blank line): the one giving more fields, counted
 * outside double quotes. A tie between both is ambiguous; a line with neither is a one-column
 * table (matchColumns will then name the missing columns) unless it uses tabs, which we refuse
 * explicitly rather than mis-read.
 */
export function detectDelimiter(text: string, complete: boolean): ',' | ';' {
  const line = headerLine(text, complete);
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === '\t') tabs++;
  }
  if (commas > semicolons) return ',';
  if (semicolons > commas) return ';';
  if (commas > 0) {
    throw new FileRejectedError(
      'FILE_NOT_TABULAR',
      'header mixes , and ; equally: delimiter is ambiguous',
      1,
    );
  }
  if (tabs > 0) {
    throw new FileRejectedError('FILE_NOT_TABULAR', 'tab-delimited; use , or ; as the delimiter', 1);
  }
  return ',';
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
