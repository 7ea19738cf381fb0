import { type AreaMonth, areaMonthSchema, type PoolItem } from '../../../console/responses.ts';
import { ApiError, getJson, type Me } from '../api.ts';
import { failure, field, h, queryForm, section, status, table } from '../dom.ts';
import { count, month, rupiah } from '../format.ts';
import { t } from '../i18n.ts';
import { monthFiguresTable } from './month-figures.ts';
import { poolName } from './pools.ts';

/**
 * Finance across an area: a province or regency in scope and a month; the area's sums (each line the
 * sum of its pools' reconciliations, exact to the rupiah) and one line per pool, with a button that
 * opens that pool below.
 */
export function areaSection(
  me: Me,
  pools: readonly PoolItem[],
  openPool: (pool: string) => void,
): HTMLElement {
  // Areas: the caller's own prefixes and every registered pool that has pools under it.
  const codes = [...new Set([...me.pools, ...pools.map((p) => p.pool)])].filter(
    (c) => me.pools.includes(c) || pools.some((p) => p.pool.startsWith(`${c}.`)),
  );
  const areaSel = h(
    'select',
    { name: 'area' },
    ...codes.sort().map((c) => h('option', { value: c }, poolName(pools, c))),
  );
  const monthInput = h('input', { type: 'month', name: 'areaMonth' });
  const out = h('div', { 'aria-live': 'polite' });

  const show = (a: AreaMonth) => {
    const f = a.total;
    out.replaceChildren(
      h(
        'div',
        { class: 'scroll' },
        monthFiguresTable(
          `${t('areaOf')} ${poolName(pools, a.area)} · ${month(a.month)} (${count(f.pools)} pool)`,
          f,
          [
            [t('balanced'), f.balanced ? t('yes') : t('no')],
            [t('pendingCorrections'), rupiah(f.pendingCorrections)],
          ],
        ),
      ),
      h(
        'div',
        { class: 'scroll' },
        table(
          `${t('poolsOfArea')} ${poolName(pools, a.area)}`,
          [t('pool'), t('closing'), t('allocated'), t('funded'), t('unfunded'), ''],
          a.pools.map((p) => [
            poolName(pools, p.pool),
            rupiah(p.closing),
            rupiah(p.allocated),
            count(p.workers.funded),
            count(p.workers.unfunded),
            h(
              'button',
              { type: 'button', class: 'secondary', onclick: () => openPool(p.pool) },
              `${t('open')} ${p.pool}`,
            ),
          ]),
        ),
      ),
    );
  };
  const load = () => {
    out.replaceChildren();
    const q = monthInput.value === '' ? '' : `?month=${monthInput.value}`;
    void getJson(`/api/areas/${encodeURIComponent(areaSel.value)}/month${q}`, areaMonthSchema)
      .then((a) => {
        monthInput.value = a.month;
        show(a);
      })
      .catch((err: unknown) =>
        out.replaceChildren(
          // No run summarised under the area that month: said plainly, not as an error.
          err instanceof ApiError && err.status === 404 ? status(t('areaEmpty')) : failure(err),
        ),
      );
  };
  const el = section(
    'h-area',
    t('area'),
    queryForm(
      () => {
        load();
      },
      t('show'),
      field(t('areaCode'), areaSel),
      field(t('month'), monthInput),
    ),
    out,
  );
  if (codes.length > 0) load();
  return el;
}
