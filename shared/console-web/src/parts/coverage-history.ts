import type { Coverage } from '../../../console/responses.ts';
import { h, table } from '../dom.ts';
import { month, rupiah } from '../format.ts';
import { t } from '../i18n.ts';
import { actionWord, causeWord, kindWord, priorityWord, severityWord, tierWord } from '../words.ts';

/**
 * A worker's coverage history for ops (docs/console.md#alerts): masked NIK and name, the worker's alerts
 * with what to do about each (from a search), and month by month whether the pool funded them, under
 * which programme and priority, and whether BPJS confirmed it. `about` names the alert it was opened from.
 */
export function coverageHistory(c: Coverage, about: string): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'h-history' },
    h('h2', { id: 'h-history', tabindex: -1 }, `${t('history')}: ${c.subject}`),
    c.name === undefined ? null : h('p', {}, `${t('name')}: ${c.name}`),
    c.alerts === undefined
      ? null
      : c.alerts.length === 0
        ? h('p', {}, t('noWorkerAlerts'))
        : h(
            'ul',
            { 'data-testid': 'worker-alerts' },
            ...c.alerts.map((a) =>
              h(
                'li',
                {},
                h('strong', {}, `${severityWord(a.severity)} · ${kindWord(a.kind)} · ${month(a.month)}: `),
                `${causeWord(a.kind, a.details)} ${t('whatToDo')}: ${actionWord(a.kind)}`,
              ),
            ),
          ),
    h(
      'div',
      { class: 'scroll' },
      table(
        `${t('history')} ${c.subject}${about === '' ? '' : ` (${about})`}`,
        [t('month'), t('funded'), t('tier'), t('amount'), t('priority'), t('bpjs')],
        c.months.map((m) => [
          month(m.month),
          m.funded ? t('yes') : t('notFunded'),
          m.tier === undefined ? '-' : tierWord(m.tier),
          m.amount === undefined ? '-' : rupiah(m.amount),
          m.priority === undefined ? '-' : priorityWord(m.priority),
          // Why a billed month is not confirmed: refused, missing from the answer, or no answer yet.
          m.bpjs === 'BILLED_NOT_CONFIRMED' && m.answer !== 'DITERIMA'
            ? `${t(m.bpjs)} (${t(m.answer)})`
            : t(m.bpjs),
        ]),
      ),
    ),
  );
}
