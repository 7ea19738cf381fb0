import { getJson, type Me, postJson } from '../api.ts';
import { failure, field, h, table } from '../dom.ts';
import { count, dateTime, day, month, rupiah } from '../format.ts';
import { t } from '../i18n.ts';
import { fetchForecast, forecastView } from './forecast.ts';

type Alert = {
  ref: string;
  kind: string;
  month: string;
  firstSeen: string;
  severity: string;
  subject: string;
  subjectType: string;
  daysUntilDue?: number;
  handled?: { at: string; note: string };
};
type Coverage = {
  subject: string;
  name?: string;
  months: {
    month: string;
    funded: boolean;
    tier?: string;
    amount?: number;
    priority?: string;
    /** Allocated and confirmed by BPJS (docs/bpjs-loop.md#coverage-says-what-is-confirmed). */
    bpjs: 'CONFIRMED' | 'BILLED_NOT_CONFIRMED' | 'NOT_BILLED';
    answer: 'DITERIMA' | 'DITOLAK' | 'NOT_IN_ANSWER' | 'NO_ANSWER';
  }[];
};
type Run = {
  runId: string;
  month: string;
  state: string;
  funded: number;
  allocated: number;
  lastActivityAt: string;
  cause: string;
};

/**
 * Ops: the coverage month's alerts, most urgent first, each can be marked handled with a note; a
 * worker's coverage history from an alert about them; the pool's runway; the runs.
 */
export async function opsPage(me: Me): Promise<HTMLElement> {
  const poolInput = h('input', {
    name: 'pool',
    value: sessionStorage.getItem('sertakan.opsPool') ?? me.pools[0] ?? '',
    required: true,
  });
  const kind = h(
    'select',
    { name: 'kind' },
    ...['', 'AT_RISK', 'UNFUNDED', 'LAPSED', 'FILE_MISSING', 'RUNWAY_LOW', 'ALLOCATION_STALLED'].map((k) =>
      h('option', { value: k }, k === '' ? '—' : k),
    ),
  );
  const out = h('div', {});
  const history = h('div', { 'aria-live': 'polite' });

  const showHistory = async (pool: string, a: Alert) => {
    const c = await getJson<Coverage>(`/api/pools/${pool}/alerts/${a.ref}/coverage`);
    history.replaceChildren(
      h(
        'section',
        { 'aria-labelledby': 'h-history' },
        h('h2', { id: 'h-history', tabindex: -1 }, `${t('history')}: ${c.subject}`),
        c.name === undefined ? null : h('p', {}, `${t('name')}: ${c.name}`),
        h(
          'div',
          { class: 'scroll' },
          table(
            `${t('history')} ${c.subject} (${a.kind})`,
            [t('month'), t('funded'), t('tier'), t('amount'), t('priority'), t('bpjs')],
            c.months.map((m) => [
              month(m.month),
              m.funded ? t('yes') : t('notFunded'),
              m.tier ?? '-',
              m.amount === undefined ? '-' : rupiah(m.amount),
              m.priority ?? '-',
              // Why a billed month is not confirmed: refused, missing from the answer, or no answer yet.
              m.bpjs === 'BILLED_NOT_CONFIRMED' && m.answer !== 'DITERIMA'
                ? `${t(m.bpjs)} (${t(m.answer)})`
                : t(m.bpjs),
            ]),
          ),
        ),
      ),
    );
    history.querySelector<HTMLElement>('#h-history')?.focus();
  };

  const load = async () => {
    const pool = poolInput.value.trim();
    sessionStorage.setItem('sertakan.opsPool', pool);
    const q = kind.value === '' ? '' : `?kind=${kind.value}`;
    const [alerts, runs, forecast] = await Promise.all([
      getJson<{ month: string; counts: Record<string, number>; items: Alert[]; total: number }>(
        `/api/pools/${pool}/alerts${q}`,
      ),
      getJson<{ items: Run[] }>(`/api/pools/${pool}/runs`),
      fetchForecast(pool),
    ]);
    history.replaceChildren();
    const rows = alerts.items.map((a) => [
      a.severity,
      a.kind,
      a.subjectType === 'WORKER'
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () =>
                void showHistory(pool, a).catch((err: unknown) =>
                  history.replaceChildren(failure(err, t('error'))),
                ),
            },
            `${t('showHistory')} ${a.subject}`,
          )
        : a.subject,
      a.daysUntilDue === undefined ? '-' : count(a.daysUntilDue),
      day(a.firstSeen),
      a.handled === undefined ? handleForm(pool, a, load) : `${dateTime(a.handled.at)}: ${a.handled.note}`,
    ]);
    out.replaceChildren(
      h(
        'section',
        { 'aria-labelledby': 'h-alerts' },
        h('h2', { id: 'h-alerts' }, `${t('alertsOf')} ${alerts.month === '' ? '-' : month(alerts.month)}`),
        h(
          'p',
          { 'data-testid': 'alert-counts' },
          Object.entries(alerts.counts)
            .map(([k, n]) => `${k}: ${count(n)}`)
            .join(' · '),
        ),
        h(
          'div',
          { class: 'scroll' },
          table(
            t('alerts'),
            [t('severity'), t('kind'), t('subject'), t('daysLeft'), t('firstSeen'), t('handled')],
            rows,
          ),
        ),
      ),
      history,
      h(
        'section',
        { 'aria-labelledby': 'h-runway' },
        h('h2', { id: 'h-runway' }, t('runway')),
        forecastView(forecast, false),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-runs' },
        h('h2', { id: 'h-runs' }, t('runs')),
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
                r.state,
                count(r.funded),
                rupiah(r.allocated),
                dateTime(r.lastActivityAt),
              ]),
          ),
        ),
      ),
    );
  };

  const form = h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        void load().catch((err: unknown) => out.replaceChildren(failure(err, t('error'))));
      },
    },
    field(t('pool'), poolInput),
    field(t('kind'), kind),
    h('button', { type: 'submit' }, t('show')),
  );
  await load().catch((err: unknown) => out.replaceChildren(failure(err, t('error'))));
  return h('div', {}, h('h1', {}, t('ops')), form, out);
}

function handleForm(pool: string, a: Alert, reload: () => Promise<void>): HTMLElement {
  const note = h('input', { name: 'note', required: true, minlength: 3, maxlength: 500 });
  return h(
    'form',
    {
      class: 'inline',
      'aria-label': `${t('markHandled')} ${a.kind} ${a.subject}`,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        await postJson(`/api/pools/${pool}/alerts/handled`, { ref: a.ref, note: note.value });
        await reload();
      },
    },
    field(t('note'), note),
    h('button', { type: 'submit' }, t('markHandled')),
  );
}
