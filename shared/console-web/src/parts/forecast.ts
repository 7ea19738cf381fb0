import { forecastSchema, type PoolForecast } from '../../../console/responses.ts';
import { getJson } from '../api.ts';
import { h, table } from '../dom.ts';
import { count, month, rupiah } from '../format.ts';
import { t, tf } from '../i18n.ts';

/** The API's pool forecast (shared/use-cases/forecast-pool.ts): 12 months from the coming month. */
export const fetchForecast = (pool: string): Promise<PoolForecast> =>
  getJson(`/api/pools/${encodeURIComponent(pool)}/forecast`, forecastSchema);

/** The runway in one sentence: every active worker funded for N months, or from which month not. */
export function runwayText(f: PoolForecast): string {
  if (f.runwayMonths >= f.months.length) return tf('runwayAll', { n: count(f.months.length) });
  return tf('runwayShort', {
    n: count(f.runwayMonths),
    m: month(f.months[f.runwayMonths]?.month ?? f.start),
  });
}

/** The runway sentence and, when `full`, the month-by-month table (ops see the short form). */
export function forecastView(f: PoolForecast, full: boolean): HTMLElement {
  const short = f.months.map((m) => [month(m.month), rupiah(m.closing), count(m.active), count(m.fundable)]);
  const long = f.months.map((m) => [
    month(m.month),
    rupiah(m.opening),
    rupiah(m.expectedCredits),
    rupiah(m.cost),
    rupiah(m.closing),
    count(m.active),
    count(m.fundable),
  ]);
  return h(
    'div',
    {},
    h(
      'p',
      { 'data-testid': 'runway', class: f.runwayMonths >= f.months.length ? 'ok' : 'bad' },
      runwayText(f),
    ),
    h('p', { class: 'muted' }, t('forecastModel')),
    ...(f.trend === undefined
      ? []
      : [
          h(
            'p',
            { 'data-testid': 'runway-trend', class: 'muted' },
            `${t('trend')}: ${runwayText({ ...f, runwayMonths: f.trend.runwayMonths, months: f.months })}`,
          ),
        ]),
    h(
      'div',
      { class: 'scroll' },
      full
        ? table(
            `${t('forecast')} · ${f.pool}`,
            [
              t('month'),
              t('opening'),
              t('expectedCredits'),
              t('cost'),
              t('closing'),
              t('active'),
              t('fundable'),
            ],
            long,
          )
        : table(`${t('runway')} · ${f.pool}`, [t('month'), t('closing'), t('active'), t('fundable')], short),
    ),
  );
}
