import {
  decisionAnswerSchema,
  type FileDetail,
  type FileSummary,
  fileDetailSchema,
} from '../../../console/responses.ts';
import { download, getJson, postJson } from '../api.ts';
import { failure, field, h, status, table } from '../dom.ts';
import { count, dateTime, month, rupiah } from '../format.ts';
import { lang, t, tf } from '../i18n.ts';
import { fileStatusWord } from '../words.ts';

/**
 * One file's outcome and its rejected lines (line, column, masked value, reason in the chosen
 * language), a held version's decision, the whole report as CSV or XLSX: the file page shows it, and
 * the treasurer's page once an upload is processed.
 */
export function fileDetail(f: FileDetail): HTMLElement {
  const reasonCol = lang() === 'id' ? 4 : 5;
  const summary = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, t('status')),
    h('dd', { 'data-testid': 'file-status', 'data-status': f.status }, fileStatusWord(f.status)),
    h('dt', {}, t('period')),
    h('dd', {}, f.period === undefined ? '-' : month(f.period)),
    h('dt', {}, t('received')),
    h('dd', {}, dateTime(f.receivedAt)),
    h('dt', {}, t('accepted')),
    h('dd', {}, `${count(f.acceptedRows)} · ${rupiah(f.acceptedAmount)}`),
    h('dt', {}, t('rejected')),
    h('dd', { 'data-testid': 'file-rejected' }, `${count(f.rejectedRows)} · ${rupiah(f.rejectedAmount)}`),
    ...(f.sheet === undefined
      ? []
      : [h('dt', {}, t('sheet')), h('dd', { 'data-testid': 'file-sheet' }, f.sheet)]),
    ...(f.footerLine === undefined || f.footerRows === undefined
      ? []
      : [
          h('dt', {}, t('footer')),
          h('dd', {}, `${count(f.footerRows)} (${f.footerLine}-${f.footerLine + f.footerRows - 1})`),
        ]),
  );
  // The reason code stays in the CSV and XLSX; the page shows the sentence that explains it.
  const rows = f.rejections.map((r) => [r[0] ?? '', r[1] ?? '', r[2] ?? '', r[reasonCol] ?? '']);
  const out = h('div', {});
  /** The whole rejection report as a download; the file's name, or the failure, shows under the buttons. */
  const reportButton = (format: 'csv' | 'xlsx', label: string, cls?: string) =>
    h(
      'button',
      {
        type: 'button',
        class: cls,
        onclick: () =>
          void download(`/api/files/${f.fileId}?format=${format}`)
            .then((name) => out.replaceChildren(status(name)))
            .catch(() => out.replaceChildren(status(t('error'), 'error'))),
      },
      label,
    );
  return h(
    'section',
    { 'aria-labelledby': 'h-file' },
    h('h1', { id: 'h-file' }, `${t('fileReport')}: ${f.agency ?? ''}`),
    summary,
    rows.length === 0
      ? h('p', {}, t('noRejections'))
      : h(
          'div',
          { class: 'scroll' },
          table(t('rejections'), [t('line'), t('column'), t('value'), t('reason')], rows),
        ),
    f.status === 'PENDING_CONFIRMATION' && f.pending !== undefined ? decision(f, f.pending) : null,
    reportButton('csv', t('downloadCsv')),
    ' ',
    reportButton('xlsx', t('downloadXlsx'), 'secondary'),
    out,
  );
}

/**
 * A version that takes money away waits for the treasurer (docs/intake.md): what it would remove, then
 * confirm (apply it) or withdraw (keep the month as it is, with a reason). The page reloads the file
 * after either.
 */
function decision(f: FileSummary, p: NonNullable<FileSummary['pending']>): HTMLElement {
  const out = h('div', { 'aria-live': 'polite' });
  const reason = h('input', { name: 'reason', minlength: 3, maxlength: 300, autocomplete: 'off' });
  const act = (action: 'confirm' | 'withdraw') =>
    void postJson(
      `/api/files/${f.fileId}/${action}`,
      action === 'withdraw' && reason.value.trim() !== '' ? { reason: reason.value.trim() } : {},
      decisionAnswerSchema,
    )
      .then(() => getJson(`/api/files/${f.fileId}`, fileDetailSchema))
      .then((again) => document.getElementById('h-file')?.closest('section')?.replaceWith(fileDetail(again)))
      .catch((err: unknown) => out.replaceChildren(failure(err)));
  return h(
    'section',
    { 'aria-labelledby': 'h-decide', class: 'decide' },
    h('h2', { id: 'h-decide' }, t('decideTitle')),
    h(
      'p',
      { 'data-testid': 'pending-summary' },
      tf('decideSummary', {
        rows: count(p.removedRows + p.loweredRows),
        amount: rupiah(p.takenAway),
        until: dateTime(p.expiresAt),
      }),
    ),
    p.lines.length === 0
      ? null
      : h(
          'div',
          { class: 'scroll' },
          table(
            t('decideLines'),
            [t('nipMasked'), t('before'), t('after')],
            p.lines.slice(0, 50).map((l) => [l.nip, rupiah(l.before), rupiah(l.after)]),
          ),
        ),
    h(
      'div',
      { class: 'pager' },
      h('button', { type: 'button', onclick: () => act('confirm') }, t('confirm')),
      field(t('withdrawReason'), reason),
      h('button', { type: 'button', class: 'secondary', onclick: () => act('withdraw') }, t('withdraw')),
    ),
    out,
  );
}
