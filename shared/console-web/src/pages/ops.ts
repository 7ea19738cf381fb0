import { getJson, type Me, postJson } from '../api.ts';
import { failure, field, h, table } from '../dom.ts';
import { count, dateTime, day, month, rupiah } from '../format.ts';
import { t } from '../i18n.ts';

type Alert = {
  ref: string;
  kind: string;
  month: string;
  firstSeen: string;
  severity: string;
  subject: string;
  daysUntilDue?: number;
  handled?: { at: string; note: string };
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

/** Ops: the coverage month's alerts, most urgent first, each can be marked handled with a note; the runs. */
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

  const load = async () => {
    const pool = poolInput.value.trim();
    sessionStorage.setItem('sertakan.opsPool', pool);
    const q = kind.value === '' ? '' : `?kind=${kind.value}`;
    const [alerts, runs] = await Promise.all([
      getJson<{ month: string; counts: Record<string, number>; items: Alert[]; total: number }>(
        `/api/pools/${pool}/alerts${q}`,
      ),
      getJson<{ items: Run[] }>(`/api/pools/${pool}/runs`),
    ]);
    const rows = alerts.items.map((a) => [
      a.severity,
      a.kind,
      a.subject,
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
