import {
  type Alert,
  type AlertPage,
  alertPageSchema,
  type Coverage,
  coverageSchema,
  handledAnswerSchema,
  runsSchema,
} from '../../../console/responses.ts';
import { ALERT_KINDS, SEVERITIES } from '../../../domain/alert-kinds.ts';
import { getJson, type Me, postJson } from '../api.ts';
import { failure, field, h, queryForm, section, table } from '../dom.ts';
import { count, dateTime, day, month, rupiah } from '../format.ts';
import { t, tf } from '../i18n.ts';
import { coverageHistory } from '../parts/coverage-history.ts';
import { fetchForecast, forecastView } from '../parts/forecast.ts';
import { fetchPools, poolPicker } from '../parts/pools.ts';
import { causeWord, kindWord, runStateWord, severityWord } from '../words.ts';

/** Days to the due date as words: "3 hari lagi", "hari ini", "lewat 2 hari". */
const daysLeftText = (n: number): string =>
  n === 0 ? t('dueToday') : n > 0 ? tf('daysToDue', { n: count(n) }) : tf('daysPast', { n: count(-n) });

/**
 * Ops: a coverage month's alerts (month and day pickers, kind and level filters), most urgent first
 * with their cause and days left, page by page; each marked handled with a note; a worker's coverage
 * history from an alert or found by NIK or KPJ, with what to do; the pool's runway; the runs. The kinds
 * and their words come from the domain's registry (shared/domain/alert-kinds.ts).
 */
export async function opsPage(me: Me): Promise<HTMLElement> {
  // The pools in scope: the picker's choices.
  const pools = await fetchPools().catch(() => []);
  const { input: poolInput, list: poolList } = poolPicker(
    'ops-pools',
    sessionStorage.getItem('sertakan.opsPool') ?? me.pools[0] ?? '',
    pools,
  );
  const monthSel = h('select', { name: 'month' }, h('option', { value: '' }, '—'));
  const dayInput = h('input', { type: 'date', name: 'day' });
  const kind = h(
    'select',
    { name: 'kind' },
    h('option', { value: '' }, t('allKinds')),
    ...ALERT_KINDS.map((k) => h('option', { value: k }, kindWord(k))),
  );
  const severity = h(
    'select',
    { name: 'severity' },
    h('option', { value: '' }, t('allSeverities')),
    ...SEVERITIES.map((s) => h('option', { value: s }, severityWord(s))),
  );
  const out = h('div', {});
  const history = h('div', { 'aria-live': 'polite' });
  const pool = () => poolInput.value.trim();

  const showHistory = (c: Coverage, about: string) => {
    history.replaceChildren(coverageHistory(c, about));
    history.querySelector<HTMLElement>('#h-history')?.focus();
  };
  const historyOf = (p: string, a: Alert) =>
    void getJson(`/api/pools/${p}/alerts/${a.ref}/coverage`, coverageSchema)
      .then((c) => showHistory(c, kindWord(a.kind)))
      .catch((err: unknown) => history.replaceChildren(failure(err)));

  const alertsView = (p: string, first: AlertPage, query: string): HTMLElement => {
    const items = [...first.items];
    let next = first.next;
    const body = h('div', {});
    const pager = h('div', { class: 'pager' });
    const render = () => {
      body.replaceChildren(
        h(
          'div',
          { class: 'scroll' },
          table(
            `${t('alerts')} ${month(first.month)}`,
            [t('severity'), t('kind'), t('subject'), t('cause'), t('daysLeft'), t('firstSeen'), t('handled')],
            items.map((a) => [
              h('span', { class: `sev-${a.severity}` }, severityWord(a.severity)),
              kindWord(a.kind),
              a.subjectType === 'WORKER'
                ? h(
                    'button',
                    { type: 'button', class: 'secondary', onclick: () => historyOf(p, a) },
                    `${t('showHistory')} ${a.subject}`,
                  )
                : a.subject,
              causeWord(a.kind, a.details),
              `${daysLeftText(a.daysLeft)} (${day(a.dueDate)})`,
              day(a.firstSeen),
              a.handled === undefined
                ? handleForm(p, a, load)
                : `${dateTime(a.handled.at)}: ${a.handled.note}`,
            ]),
          ),
        ),
      );
      pager.replaceChildren(
        h(
          'p',
          { 'data-testid': 'alert-shown', role: 'status' },
          tf('shownOf', { n: count(items.length), total: count(first.total) }),
        ),
        next === undefined
          ? ''
          : h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () =>
                  void getJson(
                    `/api/pools/${p}/alerts?${query}&next=${encodeURIComponent(next ?? '')}`,
                    alertPageSchema,
                  )
                    .then((more) => {
                      items.push(...more.items);
                      next = more.next;
                      render();
                    })
                    .catch((err: unknown) => pager.append(failure(err))),
              },
              t('more'),
            ),
      );
    };
    render();
    return h('div', {}, first.total === 0 ? h('p', {}, t('noAlerts')) : body, pager);
  };

  const load = async () => {
    const p = pool();
    sessionStorage.setItem('sertakan.opsPool', p);
    const params = new URLSearchParams({ limit: '100' });
    if (monthSel.value !== '') params.set('month', monthSel.value);
    if (dayInput.value !== '') params.set('day', dayInput.value);
    if (kind.value !== '') params.set('kind', kind.value);
    if (severity.value !== '') params.set('severity', severity.value);
    const query = params.toString();
    const [alerts, runs, forecast] = await Promise.all([
      getJson(`/api/pools/${p}/alerts?${query}`, alertPageSchema),
      getJson(`/api/pools/${p}/runs`, runsSchema),
      fetchForecast(p),
    ]);
    // The month picker offers every month with alerts; the one shown stays picked.
    monthSel.replaceChildren(
      ...alerts.months.map((m) => h('option', { value: m, selected: m === alerts.month }, month(m))),
    );
    history.replaceChildren();
    out.replaceChildren(
      section(
        'h-alerts',
        `${t('alertsOf')} ${alerts.month === '' ? '-' : month(alerts.month)}`,
        h(
          'p',
          { 'data-testid': 'alert-counts' },
          [
            ...SEVERITIES.map((s) => `${severityWord(s)}: ${count(alerts.severities[s] ?? 0)}`),
            ...ALERT_KINDS.filter((k) => (alerts.counts[k] ?? 0) > 0).map(
              (k) => `${kindWord(k)}: ${count(alerts.counts[k] ?? 0)}`,
            ),
          ].join(' · '),
        ),
        alertsView(p, alerts, query),
      ),
      history,
      section('h-runway', t('runway'), forecastView(forecast, false)),
      section(
        'h-runs',
        t('runs'),
        h(
          'div',
          { class: 'scroll' },
          table(
            t('runs'),
            [t('month'), t('state'), t('funded'), t('allocated'), t('date')],
            runs.items
              .slice(-12)
              .reverse()
              .map((r) => [
                month(r.month),
                runStateWord(r.state),
                count(r.funded),
                rupiah(r.allocated),
                dateTime(r.lastActivityAt),
              ]),
          ),
        ),
      ),
    );
  };

  const form = queryForm(
    () => {
      void load().catch((err: unknown) => out.replaceChildren(failure(err)));
    },
    t('show'),
    field(t('pool'), poolInput),
    poolList,
    field(t('coverageMonth'), monthSel),
    field(t('seenOn'), dayInput),
    field(t('kind'), kind),
    field(t('severity'), severity),
  );
  // A new pool starts at its newest month.
  poolInput.addEventListener('change', () => monthSel.replaceChildren(h('option', { value: '' }, '—')));

  const searchBy = h(
    'select',
    { name: 'searchBy' },
    h('option', { value: 'nik' }, 'NIK'),
    h('option', { value: 'kpj' }, 'KPJ'),
  );
  const searchText = h('input', {
    name: 'worker',
    inputmode: 'numeric',
    pattern: '\\d{11}|\\d{16}',
    required: true,
    autocomplete: 'off',
  });
  const search = section(
    'h-search',
    t('workerSearch'),
    queryForm(
      () => {
        // In the body, not the URL: a NIK never lands in an access log.
        void postJson(
          `/api/pools/${pool()}/workers/search`,
          { [searchBy.value]: searchText.value.trim() },
          coverageSchema,
        )
          .then((c) => showHistory(c, ''))
          .catch((err: unknown) => history.replaceChildren(failure(err)));
      },
      t('search'),
      field(t('searchBy'), searchBy),
      field(t('nikOrKpj'), searchText),
    ),
  );
  await load().catch((err: unknown) => out.replaceChildren(failure(err)));
  return h('div', {}, h('h1', {}, t('ops')), form, search, out);
}

function handleForm(pool: string, a: Alert, reload: () => Promise<void>): HTMLElement {
  const note = h('input', { name: 'note', required: true, minlength: 3, maxlength: 500 });
  const problem = h('div', {});
  return h(
    'form',
    {
      class: 'inline',
      'aria-label': `${t('markHandled')} ${kindWord(a.kind)} ${a.subject}`,
      onsubmit: (e: Event) => {
        e.preventDefault();
        void postJson(
          `/api/pools/${pool}/alerts/handled`,
          { ref: a.ref, note: note.value },
          handledAnswerSchema,
        )
          .then(reload)
          .catch((err: unknown) => problem.replaceChildren(failure(err)));
      },
    },
    field(t('note'), note),
    h('button', { type: 'submit' }, t('markHandled')),
    problem,
  );
}
