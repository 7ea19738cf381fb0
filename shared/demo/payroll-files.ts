/**
 * Renders one agency's monthly deduction file in that agency's habits (delimiter, header language,
 * amount and period notation, optional row numbers, control-total trailer) and plants the bad rows
 * asked for, reporting exactly which lines they ended up on.
 */
import type { Period, Rupiah } from '#domain/model.ts';
import { formatNumberId } from '#domain/money.ts';
import { previousPeriod } from '#domain/period.ts';
import { type CsvDialect, csvText } from './csv-text.ts';
import type { Rng } from './prng.ts';
import type { BadRowReason } from './types.ts';

export type AmountStyle = 'plain' | 'dotted' | 'rp' | 'rp-sen' | 'mixed';

export type PayrollStyle = {
  readonly dialect: CsvDialect;
  readonly header: 'id' | 'upper' | 'en';
  readonly amount: AmountStyle;
  readonly period: 'iso' | 'slash';
  /** A leading `No` column, as SIMGAJI exports have; unknown columns are ignored by the intake. */
  readonly numbered: boolean;
  readonly trailer: boolean;
  readonly earmarkColumn: boolean;
};

export type DonorRow = {
  readonly nip: string;
  readonly name: string;
  readonly amount: Rupiah;
  readonly workerNik?: string;
};

export type RenderedPayroll = {
  readonly body: string;
  readonly bad: readonly { readonly line: number; readonly nip: string; readonly reason: BadRowReason }[];
  readonly valid: { readonly rows: number; readonly sum: Rupiah };
};

const HEADERS = {
  id: ['nip', 'nama', 'periode', 'jumlah', 'nik_pekerja'],
  upper: ['NIP', 'NAMA', 'PERIODE', 'JUMLAH', 'NIK_PEKERJA'],
  en: ['nip', 'name', 'period', 'amount', 'worker_nik'],
} as const;

type Line = { nip: string; name: string; period: string; amount: string; workerNik: string; value: Rupiah };
type Planted = { line: Line; nip: string; reason: BadRowReason; valid: boolean };

export function renderPayroll(
  rng: Rng,
  style: PayrollStyle,
  period: Period,
  donors: readonly DonorRow[],
  inject: readonly BadRowReason[] = [],
): RenderedPayroll {
  const lines: Line[] = donors.map((d) => ({
    nip: d.nip,
    name: d.name,
    period: periodText(period, style),
    amount: amountText(rng, d.amount, style.amount),
    workerNik: d.workerNik ?? '',
    value: d.amount,
  }));
  if (inject.length > Math.max(0, lines.length - 1)) {
    throw new RangeError(`cannot plant ${inject.length} bad rows among ${lines.length}`);
  }

  const planted: Planted[] = [];
  // Resolve targets to row objects first: a planted duplicate shifts the indices of later rows.
  const targets = pickDistinct(rng, lines.length, inject.length).map((i) => lines[i] as Line);
  inject.forEach((reason, k) => {
    planted.push(plant(rng, targets[k] as Line, reason, style, period, lines));
  });

  const rows: string[][] = [header(style)];
  for (const [i, line] of lines.entries()) {
    const cells = [
      line.nip,
      line.name,
      line.period,
      line.amount,
      ...(style.earmarkColumn ? [line.workerNik] : []),
    ];
    rows.push(style.numbered ? [String(i + 1), ...cells] : cells);
  }
  const bad = planted.map((p) => ({ line: lines.indexOf(p.line) + 2, nip: p.nip, reason: p.reason }));
  const invalid = new Set(planted.filter((p) => !p.valid).map((p) => p.line));
  const validLines = lines.filter((l) => !invalid.has(l));
  const validSum = validLines.reduce((s, l) => s + l.value, 0);
  if (style.trailer) {
    // The control sum covers every row whose amount is readable (rejected or not), as the intake counts it.
    const unreadable = new Set(planted.filter((p) => p.reason === 'AMOUNT_HAS_SEN').map((p) => p.line));
    const readable = lines.filter((l) => !unreadable.has(l));
    const sum = readable.reduce((s, l) => s + l.value, 0);
    rows.push(['TOTAL', String(lines.length), String(sum)]);
  }
  return { body: csvText(rows, style.dialect), bad, valid: { rows: validLines.length, sum: validSum } };
}

/** Mutates `line` (or adds a copy of it after itself) so the intake must reject it for `reason`. */
function plant(
  rng: Rng,
  line: Line,
  reason: BadRowReason,
  style: PayrollStyle,
  period: Period,
  lines: Line[],
): Planted {
  const nip = line.nip;
  switch (reason) {
    case 'NIP_FORMAT':
      // A typed-over NIP: a digit dropped, or the letter O for a zero.
      line.nip = rng.chance(0.5) || !nip.includes('0') ? nip.slice(0, 17) : nip.replace('0', 'O');
      return { line, nip, reason, valid: false };
    case 'AMOUNT_HAS_SEN':
      line.amount = `${style.amount === 'rp' || style.amount === 'rp-sen' ? 'Rp ' : ''}${formatNumberId(line.value)},50`;
      return { line, nip, reason, valid: false };
    case 'PERIOD_MISMATCH':
      line.period = periodText(previousPeriod(period), style);
      return { line, nip, reason, valid: false };
    case 'DUPLICATE_ROW': {
      const copy = { ...line };
      const at = lines.indexOf(line) + 1 + rng.int(0, 3);
      lines.splice(Math.min(at, lines.length), 0, copy);
      return { line: copy, nip, reason, valid: false };
    }
  }
}

function pickDistinct(rng: Rng, n: number, k: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.int(0, n - 1));
  return [...chosen];
}

function header(style: PayrollStyle): string[] {
  const names = HEADERS[style.header].slice(0, style.earmarkColumn ? 5 : 4);
  return style.numbered ? ['No', ...names] : [...names];
}

function periodText(period: Period, style: PayrollStyle): string {
  return style.period === 'iso' ? period : `${period.slice(5, 7)}/${period.slice(0, 4)}`;
}

/** The notations payroll treasurers really type: `16800`, `16.800`, `Rp16.800`, `Rp 16.800,00`. */
export function amountText(rng: Rng, amount: Rupiah, style: AmountStyle): string {
  const resolved = style === 'mixed' ? rng.pick(['plain', 'dotted', 'rp', 'rp-sen'] as const) : style;
  switch (resolved) {
    case 'plain':
      return String(amount);
    case 'dotted':
      return formatNumberId(amount);
    case 'rp':
      return `Rp${formatNumberId(amount)}`;
    case 'rp-sen':
      return `Rp ${formatNumberId(amount)},00`;
  }
}

export function pickStyle(rng: Rng, hasEarmarks: boolean): PayrollStyle {
  const excel = rng.chance(0.5);
  return {
    dialect: excel
      ? { delimiter: ';', bom: true, crlf: true }
      : { delimiter: ',', bom: rng.chance(0.15), crlf: rng.chance(0.3) },
    header: rng.weighted([
      ['id', 5],
      ['upper', 3],
      ['en', 2],
    ] as const),
    amount: rng.weighted([
      ['plain', 4],
      ['dotted', 2],
      ['rp', 2],
      ['rp-sen', 2],
      ['mixed', 1],
    ] as const),
    period: rng.chance(0.75) ? 'iso' : 'slash',
    numbered: rng.chance(0.3),
    trailer: rng.chance(0.3),
    earmarkColumn: hasEarmarks || rng.chance(0.2),
  };
}
