/**
 * Kemendagri area codes this pilot meets (docs/design.md#pools-and-agencies). BPS statistical codes order some Jambi
 * regencies differently; these are the Kemendagri ones, which is what pools and NIKs use.
 */
import type { PoolCode } from './model.ts';

/** Province codes in use (incl. the Papua provinces created in 2022: 91-97). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  ...range(11, 19),
  '21',
  ...range(31, 36),
  ...range(51, 53),
  ...range(61, 65),
  ...range(71, 76),
  ...range(81, 82),
  ...range(91, 97),
]);

export function isProvinceCode(code: string): boolean {
  return PROVINCE_CODES.has(code);
}

export const JAMBI_REGIONS: Readonly<Record<PoolCode, string>> = {
  '15': 'Jambi',
  '15.01': 'Kerinci',
  '15.02': 'Merangin',
  '15.03': 'Sarolangun',
  '15.04': 'Batanghari',
  '15.05': 'Muaro Jambi',
  '15.06': 'Tanjung Jabung Barat',
  '15.07': 'Tanjung Jabung Timur',
  '15.08': 'Bungo',
  '15.09': 'Tebo',
  '15.71': 'Kota Jambi',
  '15.72': 'Sungai Penuh',
  // Batanghari's districts (kecamatan): the first pilot regency.
  '15.04.01': 'Mersam',
  '15.04.02': 'Muara Tembesi',
  '15.04.03': 'Muara Bulian',
  '15.04.04': 'Batin XXIV',
  '15.04.05': 'Pemayung',
  '15.04.06': 'Maro Sebo Ulu',
  '15.04.07': 'Bajubang',
  '15.04.08': 'Maro Sebo Ilir',
};

/** The region's name for a Kemendagri code, or undefined when this table does not know it. */
export function regionName(code: string): string | undefined {
  return Object.hasOwn(JAMBI_REGIONS, code) ? JAMBI_REGIONS[code] : undefined;
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}
