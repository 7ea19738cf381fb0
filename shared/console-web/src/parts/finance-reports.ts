import { agencyAllocationsSchema } from '../../../console/responses.ts';
import { getJson } from '../api.ts';
import { failure, field, h, queryForm, section, table } from '../dom.ts';
import { count, decimal, month, rupiah } from '../format.ts';
import { t } from '../i18n.ts';
import { fetchForecast, forecastView } from './forecast.ts';

/**
 * Finance's allocations by agency for a month (each agency's share of the payroll-funded allocations,
 * adding up to the pool's) and the pool's 12-month forecast. `pool()` is the pool the page shows;
 * `months` the allocated months, newest first.
 */
export function financeReports(pool: () => string, months: readonly string[]): HTMLElement {
  const monthSel = h(
    'select',
    { name: 'agencyMonth' },
    ...months.map((m) => h('option', { value: m }, month(m))),
  );
  const byAgency = h('div', { 'aria-live': 'polite' });
  const forecast = h('div', {});

  const showAgencies = async () => {
    const a = await getJson(
      `/api/pools/${encodeURIComponent(pool())}/allocations/agencies?month=${monthSel.value}`,
      agencyAllocationsSchema,
    );
    const sum = a.items.reduce((s, i) => s + i.rupiah, 0);
    byAgency.replaceChildren(
      h(
        'div',
        { class: 'scroll' },
        table(
          `${t('byAgency')} · ${month(a.month)}`,
          [
            t('agencyCode'),
            t('donorsOf'),
            t('netDeduction'),
            t('allocated'),
            t('workerMonths'),
            t('earmarked'),
          ],
          [
            ...a.items.map((i) => [
              i.agency,
              count(i.donors),
              rupiah(i.netDeduction),
              rupiah(i.rupiah),
              decimal(i.workerMonths),
              count(i.earmarkedWorkers),
            ]),
            [t('total'), '', '', h('span', { 'data-testid': 'agency-total' }, rupiah(sum)), '', ''],
          ],
        ),
      ),
    );
  };

  const showForecast = async () => forecast.replaceChildren(forecastView(await fetchForecast(pool()), true));

  void showForecast().catch((err: unknown) => forecast.replaceChildren(failure(err, t('error'))));
  if (months.length > 0)
    void showAgencies().catch((err: unknown) => byAgency.replaceChildren(failure(err, t('error'))));
  return h(
    'div',
    {},
    section(
      'h-agencies',
      t('byAgency'),
      queryForm(
        () => {
          void showAgencies().catch((err: unknown) => byAgency.replaceChildren(failure(err, t('error'))));
        },
        t('show'),
        field(t('month'), monthSel),
      ),
      byAgency,
    ),
    section('h-forecast', t('forecast'), forecast),
  );
}
