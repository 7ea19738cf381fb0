/**
 * Masks personal data (NIK, NIP, names) before it reaches logs or alerts (docs/design.md#personal-data).
 * Total functions: any input, however odd, yields a string, and a short or malformed id is masked
 * whole rather than partly revealed.
 */

const STAR = '*';
const MAX_PLAIN_LENGTH = 60;

/** `1504014107900001` -> `1504**********01`: the regency stays visible for triage, the person does not. */
export function maskNik(nik: unknown): string {
  return maskId(nik, 4, 2, 16);
}

/** `198609262015051001` -> `1986************01`. */
export function maskNip(nip: unknown): string {
  return maskId(nip, 4, 2, 18);
}

/** `Siti Aminah` -> `S*** A***`. */
export function maskName(name: unknown): string {
  const text = toText(name);
  const words = text.split(/\s+/).filter((w) => w !== '');
  return truncate(words.map((w) => `${Array.from(w)[0] ?? ''}***`).join(' '));
}

// Normalised field names (lower case, letters and digits only) whose values are personal data.
const MASKERS: Readonly<Record<string, (value: unknown) => string>> = {
  nik: maskNik,
  workernik: maskNik,
  nikpekerja: maskNik,
  nip: maskNip,
  donornip: maskNip,
  kpj: (value) => maskId(value, 2, 2, 11),
  nama: maskName,
  name: maskName,
  workername: maskName,
  namapekerja: maskName,
};

/** Masks a value by its field name (`nik`, `worker_nik`, `nik_pekerja`, `nip`, `nama`, `name` ...); other fields are only truncated. */
export function maskValue(field: string, value: unknown): string {
  const key = typeof field === 'string' ? field.toLowerCase().replace(/[^a-z0-9]/g, '') : '';
  const masker = Object.hasOwn(MASKERS, key) ? MASKERS[key] : undefined;
  return masker ? masker(value) : truncate(toText(value));
}

/**
 * Keeps `head` and `tail` characters of a well-formed id of `expectedLength`; anything else (too
 * short, too long, odd characters) is masked whole, so a malformed id can never leak unmasked.
 */
function maskId(value: unknown, head: number, tail: number, expectedLength: number): string {
  const text = toText(value).replace(/\s+/g, '');
  const chars = Array.from(text);
  if (chars.length !== expectedLength || !/^[0-9]+$/.test(text)) {
    return STAR.repeat(Math.min(Math.max(chars.length, 1), expectedLength));
  }
  return text.slice(0, head) + STAR.repeat(expectedLength - head - tail) + text.slice(expectedLength - tail);
}

function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return `[${typeof value}]`;
  }
}

function truncate(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_PLAIN_LENGTH ? text : `${chars.slice(0, MAX_PLAIN_LENGTH - 1).join('')}…`;
}
