import { ApiError, download, getJson } from '../api.ts';
import { h, status, table } from '../dom.ts';
import { count, dateTime, month, rupiah } from '../format.ts';
import { lang, t } from '../i18n.ts';

export type FileSummary = {
  fileId: string;
  pool: string;
  period?: string;
  agency?: string;
  status: string;
  dataRows: number;
  acceptedRows: number;
  acceptedAmount: number;
  rejectedRows: number;
  rejectedAmount: number;
  rejectReason?: string;
  /** XLSX: the sheet read. */
  sheet?: string;
  /** Rows under the JUMLAH row that ended the table (signature block): ignored. */
  footerLine?: number;
  footerRows?: number;
  receivedAt: string;
  processedAt?: string;
};
type FileDetail = FileSummary & { rejections: string[][] };

/**
 * One file's outcome and its rejected lines (line, column, masked value, code, reason in the chosen
 * language); the whole report downloads as CSV or XLSX.
 */
export async function fileView(fileId: string): Promise<HTMLElement> {
  let f: FileDetail;
  try {
    f = await getJson<FileDetail>(`/api/files/${fileId}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      return h(
        'section',
        { 'aria-labelledby': 'h-file' },
        h('h1', { id: 'h-file' }, t('fileReport')),
        status(t('forbidden'), 'error'),
      );
    }
    throw err;
  }
  return fileDetail(f);
}

export function fileDetail(f: FileDetail): HTMLElement {
  const reasonCol = lang() === 'id' ? 4 : 5;
  const summary = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, t('status')),
    h('dd', { 'data-testid': 'file-status' }, f.status),
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
  const rows = f.rejections.map((r) => [r[0] ?? '', r[1] ?? '', r[2] ?? '', r[3] ?? '', r[reasonCol] ?? '']);
  const out = h('div', {});
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
          table(t('rejections'), [t('line'), t('column'), t('value'), t('code'), t('reason')], rows),
        ),
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          try {
            out.replaceChildren(status(await download(`/api/files/${f.fileId}?format=csv`)));
          } catch {
            out.replaceChildren(status(t('error'), 'error'));
          }
        },
      },
      t('downloadCsv'),
    ),
    ' ',
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: async () => {
          try {
            out.replaceChildren(status(await download(`/api/files/${f.fileId}?format=xlsx`)));
          } catch {
            out.replaceChildren(status(t('error'), 'error'));
          }
        },
      },
      t('downloadXlsx'),
    ),
    out,
  );
}
