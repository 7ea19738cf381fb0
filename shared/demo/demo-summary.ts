import { ALERT_KINDS } from '#domain/alerts.ts';
import { formatNumberId, formatRupiah } from '#domain/money.ts';
import { addMonths, formatPeriodId } from '#domain/period.ts';
import type { DemoMonth, DemoResult } from './demo-result.ts';

/** How many lapsed workers the summary names (masked); the rest are counted. */
const LAPSES_NAMED = 10;

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
  const monthsBalanced = r.months.filter((m) => m.reconciliation?.balanced).length;
  const lapses = r.months.flatMap((m) => m.lapses);
  return [
    '',
    `SERTAKAN demo: Kabupaten ${r.poolName} (pool ${r.pool}), ${r.months.length} bulan`,
    '',
    line(header),
    line(header.map((h) => '-'.repeat(h.length))),
    ...rows.map(line),
    '',
    ...storyLines(r),
    `Uang masuk / money in:          ${formatRupiah(totals.credits)} (potongan gaji, koreksi, hibah)`,
    `Dialokasikan / allocated:       ${formatRupiah(totals.allocated)} untuk ${formatNumberId(r.workerMonths)} pekerja-bulan (worker-months)`,
    `Saldo akhir / closing balance:  ${last ? formatRupiah(last.closing) : '-'} (cadangan / runway)`,
    `Pekerja terlindungi / covered:  ${formatNumberId(r.workersEverCovered)} pekerja pernah didanai`,
    `Lapse dicegah / prevented:      ${formatNumberId(totals.recovered)} kali pekerja tertunggak didanai kembali sebelum lapse`,
    `Lapse tidak tercegah / lapsed:  ${formatNumberId(totals.lapsed)}`,
    ...lapses.slice(0, LAPSES_NAMED).map((l) => `  ${lapseLine(l)}`),
    ...(lapses.length > LAPSES_NAMED
      ? [
          `  ... dan ${formatNumberId(lapses.length - LAPSES_NAMED)} lagi / and more (npm run sertakan -- reconcile)`,
        ]
      : []),
    `Peringatan / alerts:            ${formatNumberId(alertTotal)} (${alertParts.join(', ') || 'tidak ada'}) pada ${formatNumberId(r.alertDays)} hari`,
    `Baris ditolak / rows rejected:  ${formatNumberId(totals.rejected)} (sengaja ditanam / planted: ${formatNumberId(r.expectedBadRows)}), berkas ditolak utuh: ${formatNumberId(r.filesRejectedWhole)}`,
    '',
    `Laporan / reports:              ${r.reportsDir}/ (bpjs-bill, reconciliation, rejections, alerts)`,
    `Laporan HTML / HTML report:     ${r.htmlReport}`,
    `Waktu / wall time:              ${r.wallSeconds.toFixed(1)} s`,
    '',
    // The three lines a visitor takes away.
    `Pekerja terlindungi / workers protected:   ${formatNumberId(r.workersEverCovered)} pekerja rentan, ${formatNumberId(r.workerMonths)} bulan perlindungan BPJS Ketenagakerjaan dibayar`,
    `Lapse dicegah / lapses prevented:          ${formatNumberId(totals.recovered)} kali pekerja tertunggak didanai lagi sebelum lapse; ${formatNumberId(totals.lapsed)} lapse`,
    `Uang cocok / money reconciled:             ${formatRupiah(totals.credits)} masuk = ${formatRupiah(totals.allocated)} dialokasikan + ${last ? formatRupiah(last.closing) : '-'} saldo; ${monthsBalanced}/${r.months.length} bulan seimbang`,
    '',
  ].join('\n');
}

/** `1504**********81 lapse Juli 2026 (terakhir dibayar April 2026): saldo kolam tidak cukup 3 bulan ...` */
function lapseLine(l: DemoMonth['lapses'][number]): string {
  const paid = l.paidThrough
    ? `terakhir dibayar / last paid ${formatPeriodId(l.paidThrough)}`
    : 'belum pernah dibayar';
  const why = l.exited
    ? `keluar dari program / left the programme (${l.exited})`
    : 'saldo kolam tidak cukup 3 bulan berturut-turut / the pool could not pay 3 months running';
  return `${l.nik} lapse ${formatPeriodId(l.month)} (${paid}): ${why}`;
}

/** What happened, month by month: the scripted events beside what the pipeline did about them. */
function storyLines(r: DemoResult): string[] {
  const out: string[] = [];
  const stopped = r.story.stoppedAgency;
  for (const m of r.months) {
    const rec = m.reconciliation;
    const events: string[] = [];
    if (stopped && m.month === addMonths(stopped.lastPeriod, 1)) {
      events.push(`${stopped.code} (${stopped.name}) berhenti mengirim potongan / stopped sending`);
    }
    if (stopped && m.month === stopped.returnsFrom)
      events.push(`${stopped.code} kembali mengirim / sends again`);
    for (const g of r.story.grants.filter((x) => x.arrivedOn.startsWith(m.month))) {
      // Money counts from the first run after it arrives; say so, and say when that is past the demo.
      const counted = r.months.find((x) => x.month >= m.month && (x.reconciliation?.credits.grants ?? 0) > 0);
      events.push(
        `hibah / grant ${formatRupiah(g.amount)} tiba ${g.arrivedOn}` +
          (counted !== undefined
            ? `, dihitung run ${formatPeriodId(counted.month)} / counted in that month's run`
            : ", dihitung run setelah bulan terakhir demo / counted after the demo's last month"),
      );
    }
    const warned = (['AT_RISK', 'UNFUNDED', 'LAPSED', 'RUNWAY_LOW'] as const).filter((k) => m.alerts[k] > 0);
    if (warned.length > 0) {
      events.push(
        `peringatan ke ops / alerts to ops: ${warned.map((k) => `${k} ${formatNumberId(m.alerts[k])}`).join(', ')}`,
      );
    }
    if ((rec?.workers.unfunded ?? 0) > 0) {
      events.push(`${formatNumberId(rec?.workers.unfunded ?? 0)} pekerja tertunggak / in arrears`);
    }
    if (m.recovered > 0)
      events.push(`${formatNumberId(m.recovered)} didanai kembali sebelum lapse / covered again`);
    if (m.newlyLapsed > 0) events.push(`${formatNumberId(m.newlyLapsed)} lapse`);
    if (events.length > 0) out.push(`  ${formatPeriodId(m.month).padEnd(15)} ${events.join('; ')}`);
  }
  return out.length === 0 ? [] : ['Cerita / what happened:', ...out, ''];
}
