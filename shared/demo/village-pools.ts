/**
 * The demo's BKBK villages (docs/pools-and-areas.md): beside Batanghari's payroll pool (15.04), two
 * village pools of Mersam district join in the demo's last month, each with a workers file and one
 * Rp10,000,000 BKBK grant and no payroll at all. The monthly schedule's fan-out allocates them like any
 * pool (49 workers each at Rp16,800 over a 12-month horizon) and the summary shows regency 15.04 as the
 * sum of its three pools. Joining in the last month keeps the demo fast: two small pools for one
 * allocation and the scans of that month's remaining days.
 */
import type { AreaMonth } from '#domain/areas.ts';
import { makeNik } from '#domain/identifiers.ts';
import type { Period } from '#domain/model.ts';
import { formatNumberId, formatRupiah } from '#domain/money.ts';
import type { Reconciliation } from '#domain/statements.ts';
import { reconcileMonth } from '#domain/statements.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAreaSummaries } from '#shared/adapters/dynamodb-area-summaries.ts';
import type { LocalRuntime } from '#shared/local-cloud/local-runtime.ts';
import { makeAreaQueries } from '#shared/use-cases/area-views.ts';
import type { FileDrop } from './types.ts';

export const DEMO_VILLAGES = [
  { code: '15.04.01.2001', workers: 52 },
  { code: '15.04.01.2002', workers: 57 },
] as const;
export const BKBK_GRANT = 10_000_000;

/** Workers and grant files of the villages, arriving on the 2nd of `period` (before the 10th's run). */
export function villageDrops(period: Period): FileDrop[] {
  const deliverOn = `${period}-02`;
  return DEMO_VILLAGES.flatMap((v, i) => {
    const rows = Array.from({ length: v.workers }, (_, k) => {
      // Birth years of the 1950s and sequence numbers from 9001: never a NIK of the synthetic region.
      const nik = makeNik({
        regency: '15.04',
        district: '01',
        birth: `195${k % 10}-0${(k % 9) + 1}-2${k % 8}`,
        female: k % 2 === 0,
        seq: 9001 + i * 100 + k,
      });
      return `${nik};Warga Desa ${i + 1}-${k + 1};;JKK_JKM;buruh tani;${period}-01`;
    });
    return [
      {
        kind: 'workers' as const,
        key: `incoming/workers/${v.code}/bkbk.csv`,
        body: ['nik;nama;kpj;paket;pekerjaan;tanggal_daftar', ...rows].join('\n'),
        deliverOn,
        note: `BKBK ${v.code}`,
      },
      {
        kind: 'grants' as const,
        key: `incoming/grants/${v.code}/bkbk.csv`,
        body: [
          'referensi;sumber;periode;jumlah',
          `BKBK-${period}-${v.code};BKBK;${period};${BKBK_GRANT}`,
        ].join('\n'),
        deliverOn,
        note: `BKBK ${v.code}`,
      },
    ];
  });
}

export type DemoVillages = {
  readonly month: Period;
  readonly pools: readonly {
    readonly code: string;
    readonly workers: number;
    readonly rec?: Reconciliation;
  }[];
  readonly regency?: AreaMonth;
};

/** The villages' month and regency 15.04's area view, read after the run. */
export async function collectVillages(rt: LocalRuntime, month: Period): Promise<DemoVillages> {
  const { ddb } = rt.cloud.clients;
  const ledger = rt.cloud.names.tables.ledger;
  const log = new DynamoDbAllocationLog({ ddb, tableName: ledger });
  const pools = await Promise.all(
    DEMO_VILLAGES.map(async (v) => {
      const rec = reconcileMonth(await log.listRuns(v.code), month);
      return { code: v.code, workers: v.workers, ...(rec === undefined ? {} : { rec }) };
    }),
  );
  const areas = makeAreaQueries({ summaries: new DynamoDbAreaSummaries({ ddb, tableName: ledger }) });
  const regency = await areas.month({ area: '15.04', month }).catch(() => undefined);
  return { month, pools, ...(regency === undefined ? {} : { regency }) };
}

/** A few lines for the demo's summary (Indonesian formats). */
export function formatVillages(v: DemoVillages): string {
  const lines = [
    `\nDesa BKBK / BKBK villages (${v.month}), hibah ${formatRupiah(BKBK_GRANT)} per desa, tanpa potongan gaji:`,
  ];
  for (const p of v.pools) {
    const r = p.rec;
    lines.push(
      r
        ? `  ${p.code}: ${formatNumberId(r.workers.funded)} dari ${formatNumberId(p.workers)} pekerja didanai / funded, saldo akhir ${formatRupiah(r.closing)}, seimbang ${r.balanced ? 'ya' : 'TIDAK'}`
        : `  ${p.code}: belum dialokasikan / not allocated`,
    );
  }
  const a = v.regency;
  if (a)
    lines.push(
      `  Wilayah 15.04 (Batanghari + desa): ${formatNumberId(a.pools)} kolam, ${formatNumberId(a.workers.funded)} didanai, alokasi ${formatRupiah(a.allocated)}, saldo akhir ${formatRupiah(a.closing)}, seimbang ${a.balanced ? 'ya' : 'TIDAK'}`,
    );
  return `${lines.join('\n')}\n`;
}
