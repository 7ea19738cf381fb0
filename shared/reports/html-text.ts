/** Escaping and the short Indonesian number notations the report's charts and table use. */
import { formatNumberId } from '#domain/money.ts';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in element text and in quoted attribute values alike. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const MONTH_SHORT_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

/** `2026-08` -> `Agu`. */
export function monthShortId(period: string): string {
  return MONTH_SHORT_ID[Number(period.slice(5, 7)) - 1] ?? period;
}

/** One decimal with a comma, dropped when whole: 1.25 -> `1,3`, 12 -> `12`. */
function decimalId(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1).replace('.', ',');
}

/** Axis notation: `Rp1,2 M` (miliar), `Rp45 jt` (juta), `Rp16,8 rb` (ribu). */
export function compactRupiah(n: number): string {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a >= 1e9) return `${sign}Rp${decimalId(a / 1e9)} M`;
  if (a >= 1e6) return `${sign}Rp${decimalId(a / 1e6)} jt`;
  if (a >= 1e3) return `${sign}Rp${decimalId(a / 1e3)} rb`;
  return `${sign}Rp${formatNumberId(Math.round(a))}`;
}

export function compactCount(n: number): string {
  if (Math.abs(n) >= 1e6) return `${decimalId(n / 1e6)} jt`;
  if (Math.abs(n) >= 1e4) return `${decimalId(n / 1e3)} rb`;
  return formatNumberId(Math.round(n));
}
