import {
  balanceSchema,
  overviewSchema,
  type Reconciliation,
  reconciliationSchema,
  statementSchema,
} from '../../../console/responses.ts';
import { download, getJson, type Me, saveCsv } from '../api.ts';
import { poolCharts } from '../chart.ts';
import { failure, field, h, queryForm, section, status, table } from '../dom.ts';
import { day, month, rupiah } from '../format.ts';
import { t, tf } from '../i18n.ts';
import { areaSection } from '../parts/area.ts';
import { financeReports } from '../parts/finance-reports.ts';
import { monthFiguresTable } from '../parts/month-figures.ts';
import { fetchPools, poolPicker } from '../parts/pools.ts';

type CorrectionLine = NonNullable<Reconciliation['corrections']>['counted'][number];

/** One correction as a row: the period (and agency) it corrects, its rupiah. */
const correctionRow = (l: CorrectionLine) => [
  `${t('corrects')} ${month(l.period)}${l.agency === undefined ? '' : ` · ${l.agency}`}`,
  rupiah(l.amount),
];

const fail = (el: HTMLElement) => (err: unknown) => el.replaceChildren(failure(err, t('error')));

/**
 * Finance: pool overview with a chart, one month's reconciliation, the BPJS bill, allocations by
 * agency, the forecast, a donor statement, balance as of a date.
 */
export async function financePage(me: Me): Promise<HTMLElement> {
  // The pools in scope: the picker's choices, and the first pool to show when the scope is an area.
  const pools = await fetchPools().catch(() => []);
  const first =
    pools.some((p) => p.pool === me.pools[0]) || pools.length === 0
      ? me.pools[0]
      : pools.find((p) => p.pool.includes('.'))?.pool;
  const { input: pool, list: poolList } = poolPicker(
    'pools-in-scope',
    sessionStorage.getItem('sertakan.finPool') ?? first ?? '',
    pools,
  );
  const overview = h('div', { 'data-testid': 'pool-figures' });
  const monthSel = h('select', { name: 'month' });
  const rec = h('div', { 'aria-live': 'polite', 'data-testid': 'pool-reconciliation' });
  const nip = h('input', {
    name: 'nip',
    inputmode: 'numeric',
    pattern: '\\d{18}',
    required: true,
    autocomplete: 'off',
  });
  const stmt = h('div', {});
  const asOf = h('input', { type: 'date', name: 'asOf', required: true });
  const bal = h('div', {});
  const reports = h('div', {});

  const showReconciliation = (r: Reconciliation) =>
    rec.replaceChildren(
      h(
        'p',
        { class: r.balanced ? 'ok' : 'bad', 'data-testid': 'balanced' },
        r.balanced ? `${t('balanced')} ✓` : t('notBalanced'),
      ),
      monthFiguresTable(
        `${t('reconciliation')} ${month(r.month)}`,
        r,
        r.corrections === undefined
          ? []
          : [
              [t('correctionsCounted'), rupiah(r.corrections.countedTotal)],
              ...r.corrections.counted.map(correctionRow),
              [t('pendingCorrections'), rupiah(r.corrections.pendingTotal)],
              ...r.corrections.pending.map(correctionRow),
            ],
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: () =>
            void download(`/api/pools/${pool.value}/bill?month=${r.month}`)
              .then((n) => rec.append(status(n)))
              .catch(fail(rec)),
        },
        t('bill'),
      ),
    );

  const load = async () => {
    sessionStorage.setItem('sertakan.finPool', pool.value);
    // Nothing of the pool shown before stays on the page under another code, whatever the answer.
    for (const el of [overview, rec, reports, stmt, bal]) el.replaceChildren();
    monthSel.replaceChildren();
    const o = await getJson(`/api/pools/${pool.value}/overview`, overviewSchema);
    overview.replaceChildren(
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('balance')),
        h('dd', { 'data-testid': 'balance' }, rupiah(o.balance.balance)),
        h('dt', {}, t('credits')),
        h('dd', {}, rupiah(o.balance.credits.total)),
        h('dt', {}, t('allocated')),
        h('dd', {}, rupiah(o.balance.allocated)),
        ...(o.balance.lastMonth === undefined
          ? []
          : [
              h('dt', {}, `${t('closing')} ${month(o.balance.lastMonth)}`),
              h('dd', { 'data-testid': 'last-closing' }, rupiah(o.balance.lastClosing)),
              h('dt', {}, t('pendingCorrections')),
              h('dd', { 'data-testid': 'pending-corrections' }, rupiah(o.balance.pendingCorrections)),
              h('dt', {}, t('futureCredits')),
              h('dd', {}, rupiah(o.balance.futureCredits)),
            ]),
      ),
      poolCharts(o.pool, o.months),
      h(
        'div',
        { class: 'scroll' },
        table(
          t('reconciliation'),
          [t('month'), t('credits'), t('allocated'), t('closing'), t('balanced')],
          o.months.map((m) => [
            month(m.month),
            rupiah(m.credits.total),
            rupiah(m.allocated),
            rupiah(m.closing),
            m.balanced ? t('yes') : t('no'),
          ]),
        ),
      ),
    );
    monthSel.replaceChildren(
      ...o.months.map((m) => h('option', { value: m.month }, month(m.month))).reverse(),
    );
    const last = o.months.at(-1);
    if (last !== undefined) showReconciliation(last);
    reports.replaceChildren(financeReports(() => pool.value, o.months.map((m) => m.month).reverse()));
  };

  const open = (code: string) => {
    pool.value = code;
    void load()
      .then(() => document.getElementById('h-overview')?.focus())
      .catch(fail(overview));
  };
  const sections = h(
    'div',
    {},
    h('h1', { id: 'h-overview', tabindex: -1 }, t('overview')),
    queryForm(
      () => {
        void load().catch(fail(overview));
      },
      t('show'),
      field(t('pool'), pool),
      poolList,
    ),
    overview,
    section(
      'h-rec',
      t('reconciliation'),
      queryForm(
        () => {
          void getJson(
            `/api/pools/${pool.value}/reconciliation?month=${monthSel.value}`,
            reconciliationSchema,
          )
            .then(showReconciliation)
            .catch(fail(rec));
        },
        t('show'),
        field(t('month'), monthSel),
      ),
      rec,
    ),
    reports,
    section(
      'h-stmt',
      t('statement'),
      queryForm(
        () => {
          void getJson(`/api/donors/${nip.value}/statement`, statementSchema)
            .then((s) =>
              stmt.replaceChildren(
                table(
                  `${t('statement')} ${s.nip}`,
                  [t('pool'), t('period'), t('amount'), t('allocated'), t('corrections'), t('why')],
                  [
                    ...s.lines.map((l) => [
                      l.pool,
                      month(l.period),
                      rupiah(l.net),
                      rupiah(l.rupiah),
                      (l.corrections ?? [])
                        .map(
                          (c) =>
                            `${rupiah(c.amount)} ${c.countedIn === undefined ? t('countedNext') : `${t('countedIn')} ${month(c.countedIn.month)}`}`,
                        )
                        .join('; '),
                      // Why the donor's share differs from the deduction: pro rata of what payroll funded.
                      l.status === 'PENDING'
                        ? t('shareNotYet')
                        : tf('shareWhy', {
                            net: rupiah(l.net),
                            poolNet: rupiah(l.poolNetPayroll),
                            funded: rupiah(l.poolPayrollFunded),
                            share: rupiah(l.rupiah),
                          }),
                    ]),
                    [t('total'), '', rupiah(s.totals.net), rupiah(s.totals.rupiah), '', ''],
                  ],
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    onclick: () =>
                      saveCsv(
                        `laporan-donor-${s.nip.replace(/\*/g, 'x')}.csv`,
                        ['pool', 'periode/period', 'potongan_bersih/net', 'alokasi/allocated'],
                        [
                          ...s.lines.map((l) => [l.pool, l.period, l.net, l.rupiah]),
                          ['TOTAL', '', s.totals.net, s.totals.rupiah],
                        ],
                      ),
                  },
                  t('exportCsv'),
                ),
              ),
            )
            .catch(fail(stmt));
        },
        t('show'),
        field(t('nip'), nip),
      ),
      stmt,
    ),
    section(
      'h-asof',
      t('asOf'),
      queryForm(
        () => {
          void getJson(`/api/pools/${pool.value}/balance?asOf=${asOf.value}`, balanceSchema)
            .then((b) => bal.replaceChildren(h('p', {}, `${day(asOf.value)}: ${rupiah(b.balance)}`)))
            .catch(fail(bal));
        },
        t('show'),
        field(t('date'), asOf),
      ),
      bal,
    ),
    areaSection(me, pools, open),
  );
  await load().catch(fail(overview));
  return sections;
}
