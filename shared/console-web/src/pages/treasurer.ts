import {
  donorsSchema,
  type FileSummary,
  fileDetailSchema,
  fileListSchema,
  uploadSchema,
} from '../../../console/responses.ts';
import { download, getJson, type Me, postJson } from '../api.ts';
import { failure, field, h, section, status, table } from '../dom.ts';
import { count, currentPeriod, dateTime, month, rupiah } from '../format.ts';
import { t } from '../i18n.ts';
import { fileDetail } from '../parts/file-detail.ts';
import { link } from '../router.ts';
import { fileStatusWord } from '../words.ts';

/**
 * The treasurer's page: upload a payroll file for a period (a presigned PUT straight to the intake key
 * of their agency, so the same pipeline runs), follow it to its outcome, see the agency's files and
 * its donors of the period (masked NIP, net deduction).
 */
export async function treasurerPage(me: Me): Promise<HTMLElement> {
  const pool = me.pools[0] ?? '';
  const agency = me.agency ?? '';
  const base = `/api/pools/${pool}/agencies/${agency}`;
  const period = h('input', {
    type: 'month',
    name: 'period',
    value: sessionStorage.getItem('sertakan.period') ?? currentPeriod(),
    required: true,
  });
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,.xlsx,.dbf', required: true });
  const progress = h('div', { 'aria-live': 'polite' });
  const list = h('div', {});
  const donors = h('div', {});

  const showDonors = async () => {
    const d = await getJson(`${base}/donors?month=${period.value}`, donorsSchema);
    donors.replaceChildren(
      d.donors === 0
        ? h('p', {}, t('noDonors'))
        : h(
            'div',
            {},
            h(
              'p',
              { 'data-testid': 'donor-total' },
              `${count(d.donors)} ${t('donorsOf').toLowerCase()} · ${rupiah(d.total)}`,
            ),
            h(
              'div',
              { class: 'scroll' },
              table(
                `${t('donors')}: ${month(period.value)}`,
                [t('nipMasked'), t('amount'), t('rows'), t('earmarked')],
                d.items.map((x) => [x.nip, rupiah(x.amount), count(x.rows), count(x.earmarkedWorkers)]),
              ),
            ),
          ),
      h('p', { class: 'note' }, t('donorsNote')),
    );
  };

  const listFiles = async (): Promise<FileSummary[]> =>
    (await getJson(`${base}/files?month=${period.value}`, fileListSchema)).items;
  const showList = async () => {
    const items = await listFiles();
    list.replaceChildren(
      items.length === 0
        ? h('p', {}, t('noFiles'))
        : h(
            'div',
            { class: 'scroll' },
            table(
              t('myFiles'),
              [t('received'), t('status'), t('accepted'), t('rejected'), t('amount'), ''],
              items.map((f) => [
                dateTime(f.receivedAt),
                fileStatusWord(f.status),
                count(f.acceptedRows),
                count(f.rejectedRows),
                rupiah(f.acceptedAmount),
                link(`/berkas/${f.fileId}`, t('open')),
              ]),
            ),
          ),
    );
  };

  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const chosen = file.files?.[0];
        if (chosen === undefined) return;
        sessionStorage.setItem('sertakan.period', period.value);
        const name = chosen.name.toLowerCase();
        const format = name.endsWith('.xlsx') ? 'xlsx' : name.endsWith('.dbf') ? 'dbf' : 'csv';
        progress.replaceChildren(status(t('uploading')));
        try {
          const before = new Set((await listFiles()).map((f) => f.fileId));
          const up = await postJson(
            `${base}/uploads`,
            {
              period: period.value,
              format,
              // Signed into the URL: S3 takes exactly this many bytes.
              size: chosen.size,
            },
            uploadSchema,
          );
          const put = await fetch(up.url, { method: 'PUT', body: chosen, headers: up.headers });
          if (!put.ok) throw new Error(`upload ${put.status}`);
          progress.replaceChildren(status(t('processing')));
          for (let i = 0; i < 120; i++) {
            const done = (await listFiles()).find((f) => !before.has(f.fileId) && f.status !== 'PROCESSING');
            if (done !== undefined) {
              progress.replaceChildren(
                fileDetail(await getJson(`/api/files/${done.fileId}`, fileDetailSchema)),
              );
              await showList();
              return;
            }
            await new Promise((r) => setTimeout(r, 1000));
          }
          progress.replaceChildren(status(t('processing')));
        } catch (err) {
          progress.replaceChildren(failure(err));
        }
      },
    },
    field(t('period'), period),
    field(t('file'), file),
    h('button', { type: 'submit' }, t('upload')),
  );
  period.addEventListener('change', () => {
    void showList();
    void showDonors().catch((err: unknown) => donors.replaceChildren(failure(err)));
  });
  await showList();
  await showDonors().catch((err: unknown) => donors.replaceChildren(failure(err)));
  return h(
    'div',
    {},
    h(
      'section',
      { 'aria-labelledby': 'h-upload' },
      h('h1', { id: 'h-upload' }, `${t('treasurer')} · ${agency} · ${pool}`),
      form,
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => void download('/api/template') },
        t('template'),
      ),
      progress,
    ),
    section('h-files', t('myFiles'), list),
    section('h-donors', t('donors'), donors),
  );
}
