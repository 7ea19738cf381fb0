/**
 * The fixed vocabulary of the synthetic Batanghari region: its payroll units (OPD), the names people
 * carry there, what informal workers do, and the amounts ASN really pledge. Weights are rough shares.
 */
import type { Rupiah } from '#domain/model.ts';

/** OPD code, name, and relative share of the regency's ASN (teachers dominate any Pemda payroll). */
export const AGENCY_CATALOGUE: readonly (readonly [code: string, name: string, weight: number])[] = [
  ['DISDIK', 'Dinas Pendidikan dan Kebudayaan', 30],
  ['DINKES', 'Dinas Kesehatan', 8],
  ['RSUD-HAMBA', 'RSUD Hamba Muara Bulian', 10],
  ['BAPPEDA', 'Badan Perencanaan Pembangunan Daerah', 2],
  ['BKAD', 'Badan Keuangan dan Aset Daerah', 2],
  ['BKPSDM', 'Badan Kepegawaian dan Pengembangan SDM', 1.5],
  ['SETDA', 'Sekretariat Daerah', 3],
  ['SETWAN', 'Sekretariat DPRD', 1.5],
  ['INSPEKTORAT', 'Inspektorat Daerah', 1.5],
  ['DPUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang', 2.5],
  ['DINSOS', 'Dinas Sosial', 1.5],
  ['DISNAKERTRANS', 'Dinas Tenaga Kerja dan Transmigrasi', 1.2],
  ['DISPERINDAG', 'Dinas Perindustrian dan Perdagangan', 1.2],
  ['DISHUB', 'Dinas Perhubungan', 1.5],
  ['DLH', 'Dinas Lingkungan Hidup', 1.5],
  ['DPMPTSP', 'Dinas Penanaman Modal dan PTSP', 1],
  ['DUKCAPIL', 'Dinas Kependudukan dan Pencatatan Sipil', 1.2],
  ['SATPOLPP', 'Satuan Polisi Pamong Praja', 2],
  ['BPBD', 'Badan Penanggulangan Bencana Daerah', 1],
  ['KESBANGPOL', 'Badan Kesatuan Bangsa dan Politik', 0.8],
  ['DISKOMINFO', 'Dinas Komunikasi dan Informatika', 1],
  ['DISPORAPAR', 'Dinas Pemuda, Olahraga dan Pariwisata', 1],
  ['DKPP', 'Dinas Ketahanan Pangan dan Perikanan', 1.2],
  ['DISTANBUN', 'Dinas Pertanian dan Perkebunan', 2.5],
  ['DPMD', 'Dinas Pemberdayaan Masyarakat dan Desa', 1],
  ['DP3AP2KB', 'Dinas Pemberdayaan Perempuan, Perlindungan Anak dan KB', 1.2],
  ['DPRKP', 'Dinas Perumahan Rakyat dan Kawasan Permukiman', 1],
  ['ARSIP.PUSTAKA', 'Dinas Perpustakaan dan Kearsipan', 0.7],
  ['PUSKESMAS-01', 'Puskesmas Muara Bulian', 1.5],
  ['PUSKESMAS-02', 'Puskesmas Muara Tembesi', 1.2],
  ['PUSKESMAS-03', 'Puskesmas Mersam', 1],
  ['PUSKESMAS-04', 'Puskesmas Bajubang', 1],
  ['PUSKESMAS-05', 'Puskesmas Pemayung', 0.9],
  ['PUSKESMAS-06', 'Puskesmas Sungai Rengas', 0.8],
  ['KEC-MUARA-BULIAN', 'Kecamatan Muara Bulian', 0.7],
  ['KEC-MERSAM', 'Kecamatan Mersam', 0.6],
  ['KEC-MUARA-TEMBESI', 'Kecamatan Muara Tembesi', 0.6],
  ['KEC-BATIN-XXIV', 'Kecamatan Batin XXIV', 0.6],
  ['KEC-PEMAYUNG', 'Kecamatan Pemayung', 0.6],
  ['KEC-BAJUBANG', 'Kecamatan Bajubang', 0.6],
  ['KEC-MARO-SEBO-ULU', 'Kecamatan Maro Sebo Ulu', 0.5],
  ['KEC-MARO-SEBO-ILIR', 'Kecamatan Maro Sebo Ilir', 0.5],
];

/** Batanghari's districts (kecamatan) with a rough share of the informal workers living there. */
export const DISTRICTS: readonly (readonly [district: string, weight: number])[] = [
  ['01', 12], // Mersam
  ['02', 14], // Muara Tembesi
  ['03', 22], // Muara Bulian
  ['04', 10], // Batin XXIV
  ['05', 11], // Pemayung
  ['06', 9], // Maro Sebo Ulu
  ['07', 13], // Bajubang
  ['08', 9], // Maro Sebo Ilir
];

export const OCCUPATIONS: readonly (readonly [string, number])[] = [
  ['buruh tani', 30],
  ['pembantu rumah tangga', 15],
  ['pedagang kaki lima', 15],
  ['tukang bangunan', 12],
  ['ojek', 12],
  ['nelayan', 8],
  ['guru ngaji', 8],
];

export const EXIT_REASONS = ['pindah domisili', 'meninggal dunia', 'menjadi pekerja formal'] as const;

/**
 * What ASN pledge per month; small amounts dominate (Rp16.800 is one worker's JKK+JKM). The mean
 * (about Rp11.600) makes ~3,000 donors carry roughly the ~1,500 workers the demo enrols, so the demo
 * shows the policy at its edge: admissions held back for sustainability, arrears when an agency stops.
 */
export const PLEDGES: readonly (readonly [Rupiah, number])[] = [
  [5_000, 38],
  [10_000, 34],
  [16_800, 15],
  [25_000, 6],
  [36_800, 3],
  [50_000, 3],
  [100_000, 1],
];

export const MALE_NAMES = [
  'Ahmad',
  'Muhammad',
  'Rudi',
  'Hendra',
  'Syamsul',
  'Taufik',
  'Joko',
  'Agus',
  'Budi',
  'Fauzi',
  'Irwan',
  'Zulkifli',
  'Hasan',
  'Rahmat',
  'Dedi',
  'Yusuf',
  'Arif',
  'Firdaus',
  'Ridwan',
  'Andi',
  'Bambang',
  'Slamet',
  'Supriadi',
  'Edi',
  'Darmawan',
  "Ma'ruf",
  'Hamdani',
  'Syahrial',
  'Azhar',
  'Khairul',
] as const;

export const FEMALE_NAMES = [
  'Siti',
  'Nur',
  'Dewi',
  'Sri',
  'Rina',
  'Yuliana',
  'Fitri',
  'Rahmawati',
  'Aminah',
  'Nurhayati',
  'Lestari',
  'Wulan',
  'Ratna',
  'Aisyah',
  'Indah',
  'Maryam',
  'Halimah',
  'Desi',
  'Eka',
  'Putri',
  'Zubaidah',
  'Juliana',
] as const;

export const MALE_SURNAMES = [
  'Saputra',
  'Hidayat',
  'Pratama',
  'Wijaya',
  'Kurniawan',
  'Setiawan',
  'Santoso',
  'Syahputra',
  'Ramadhan',
  'Hakim',
  'Harahap',
  'Nasution',
  'Siregar',
  'Lubis',
  'Effendi',
  'Yunus',
] as const;

export const FEMALE_SURNAMES = [
  'Handayani',
  'Susanti',
  'Wahyuni',
  'Anggraini',
  'Safitri',
  'Marlina',
  'Sari',
  'Puspita',
  'Harahap',
  'Nasution',
  'Lestari',
  'Rahayu',
] as const;

/** Academic titles ASN put in payroll names; the comma in them is why CSV quoting matters. */
export const TITLE_SUFFIXES = [', S.Pd.', ', S.Kep.', ', S.E.', ', S.H.', ', A.Md.', ', M.Si.', ', S.Sos.'];
export const TITLE_PREFIXES = ['Drs. ', 'Ir. ', 'H. ', 'Hj. '];
