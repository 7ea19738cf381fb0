import { type FileDetail, fileDetailSchema } from '../../../console/responses.ts';
import { ApiError, getJson } from '../api.ts';
import { h, status } from '../dom.ts';
import { t } from '../i18n.ts';
import { fileDetail } from '../parts/file-detail.ts';

/**
 * One file's outcome and its rejected lines (line, column, masked value, code, reason in the chosen
 * language); the whole report downloads as CSV or XLSX.
 */
export async function fileView(fileId: string): Promise<HTMLElement> {
  let f: FileDetail;
  try {
    f = await getJson(`/api/files/${fileId}`, fileDetailSchema);
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
