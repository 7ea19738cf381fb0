import { makeNik, makeNip } from '#domain/identifiers.ts';
import type { Clock } from '#domain/ports/clock.ts';

/** A valid NIP per index (distinct birth dates and sequences). */
export function nipOf(i: number): string {
  const day = (i % 28) + 1;
  return makeNip({
    birth: `1980-01-${String(day).padStart(2, '0')}`,
    appointment: '2010-03',
    gender: ((i % 2) + 1) as 1 | 2,
    seq: (Math.floor(i / 28) % 999) + 1,
  });
}

export function nikOf(i: number): string {
  return makeNik({ regency: '15.04', district: '01', birth: '1990-05-17', female: i % 2 === 0, seq: i + 1 });
}

export type PayrollRow = {
  nip: string;
  amount: number | string;
  nik?: string;
  period?: string;
  name?: string;
};

/** A semicolon CSV as Indonesian Excel writes it, with an optional TOTAL trailer. */
export function payrollCsv(
  period: string,
  rows: readonly PayrollRow[],
  trailer?: { rows: number; sum: number },
): string {
  const lines = ['nip;nama;periode;jumlah;nik_pekerja'];
  for (const r of rows)
    lines.push(`${r.nip};${r.name ?? 'Budi Santoso'};${r.period ?? period};${r.amount};${r.nik ?? ''}`);
  if (trailer) lines.push(`TOTAL;${trailer.rows};${trailer.sum}`);
  return `${lines.join('\r\n')}\r\n`;
}

export const fixedClock = (iso = '2026-02-03T01:00:00.000Z'): Clock & { set(iso: string): void } => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
};

/**
 * A windows-1252 payroll file of `rows` rows of Rp16.800 whose only non-ASCII bytes (`’`, 0x92, in
 * three names) sit after the first 64 KiB: a prefix says "ASCII", only the whole file says windows-1252.
 */
export function lateQuoteCp1252(period = '2026-01', rows = 1_400): { body: Buffer; quoteOffset: number } {
  const quoted = new Set([rows - 50, rows - 30, rows - 10]);
  const lines = ['nip;nama;periode;jumlah'];
  for (let i = 0; i < rows; i += 1)
    lines.push(`${nipOf(i)};${quoted.has(i) ? 'Ma\u2019ruf Amin' : 'Budi Santoso Wibowo'};${period};16800`);
  const text = `${lines.join('\r\n')}\r\n`;
  // windows-1252: every character here is ASCII except U+2019, which is byte 0x92.
  const body = Buffer.from(text.replaceAll('\u2019', '\u0092'), 'latin1');
  return { body, quoteOffset: body.indexOf(0x92) };
}
