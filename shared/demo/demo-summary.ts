import { ALERT_KINDS } from '#domain/alerts.ts';
import { formatNumberId, formatRupiah } from '#domain/money.ts';
import { formatPeriodId } from '#domain/period.ts';
import type { DemoResult } from './demo-result.ts';

/** The closing summary of `sertakan demo`, Indonesian first (numbers as Rp1.234.567), English after. */
export function formatDemoSummary(r: DemoResult): string {
  const rows = r.months.map((m) => {
    const rec = m.reconciliation;
    return [
      formatPeriodId(m.month),
      rec ? formatRupiah(rec.credits.deductions + rec.credits.corrections) : '-',
      rec ? formatRupiah(rec.credits.grants) : '-',
      rec ? formatRupiah(rec.allocated) : '-',
      rec ? formatRupiah(rec.closing) : '-',
      rec ? formatNumberId(rec.workers.funded) : '-',
      rec ? formatNumberId(rec.workers.unfunded) : '-',
      formatNumberId(m.recovered),
      rec ? formatNumberId(rec.workers.lapsed) : '-',
      rec ? formatNumberId(rec.workers.waitlisted) : '-',
      `${formatNumberId(m.rowsRejected)}/${formatNumberId(m.rowsAccepted + m.rowsRejected)}`,
      rec ? (rec.balanced ? 'ya' : 'TIDAK') : '-',
    ];
  });
  const header = [
    'Bulan',
    'Potongan gaji',
    'Hibah',
    'Dialokasikan',
    'Saldo akhir',
    'Didanai',
    'Tertunggak',
    'Pulih',
    'Lapse',
    'Antre',
    'Baris ditolak',
    'Seimbang',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const totals = r.months.reduce(
    (t, m) => ({
      credits: t.credits + (m.reconciliation ? m.reconciliation.credits.total : 0),
      allocated: t.allocated + (m.reconciliation?.allocated ?? 0),
      recovered: t.recovered + m.recovered,
      lapsed: t.lapsed + m.newlyLapsed,
      rejected: t.rejected + m.rowsRejected,
    }),
    { credits: 0, allocated: 0, recovered: 0, lapsed: 0, rejected: 0 },
  );
  const last = r.months.at(-1)?.reconciliation;
  const alertTotal = ALERT_KINDS.reduce((s, k) => s + r.alerts[k], 0);
  const alertParts = ALERT_KINDS.filter((k) => r.alerts[k] > 0).map(
    (k) => `${k} ${formatNumberId(r.alerts[k])}`,
  );
  return [
    '',
    `SERTAKAN demo: Kabupaten ${r.poolName} (pool ${r.pool}), ${r.months.length} bulan`,
    '',
    line(header),
    line(header.map((h) => '-'.repeat(h.length))),
    ...rows.map(line),
    '',
    `Uang masuk / money in:          ${formatRupiah(totals.credits)} (potongan gaji, koreksi, hibah)`,
    `Dialokasikan / allocated:       ${formatRupiah(totals.allocated)} untuk ${formatNumberId(r.workerMonths)} pekerja-bulan (worker-months)`,
    `Saldo akhir / closing balance:  ${last ? formatRupiah(last.closing) : '-'} (cadangan / runway)`,
    `Pekerja terlindungi / covered:  ${formatNumberId(r.workersEverCovered)} pekerja pernah didanai`,
    `Lapse dicegah / prevented:      ${formatNumberId(totals.recovered)} kali pekerja tertunggak didanai kembali sebelum lapse`,
    `Lapse tidak tercegah / lapsed:  ${formatNumberId(totals.lapsed)}`,
    `Peringatan / alerts:            ${formatNumberId(alertTotal)} (${alertParts.join(', ') || 'tidak ada'}) pada ${formatNumberId(r.alertDays)} hari`,
    `Baris ditolak / rows rejected:  ${formatNumberId(totals.rejected)} (sengaja ditanam / planted: ${formatNumberId(r.expectedBadRows)}), berkas ditolak utuh: ${formatNumberId(r.filesRejectedWhole)}`,
    '',
    `Laporan / reports:              ${r.reportsDir}/ (bpjs-bill, reconciliation, rejections, alerts)`,
    `Laporan HTML / HTML report:     ${r.htmlReport}`,
    `Waktu / wall time:              ${r.wallSeconds.toFixed(1)} s`,
    '',
  ].join('\n');
}
