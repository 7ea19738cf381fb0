import type { Reconciliation } from '../../../console/responses.ts';
import { type Child, table } from '../dom.ts';
import { count, rupiah } from '../format.ts';
import { t } from '../i18n.ts';

/** What a pool's month and an area's month have alike (an area's are the sums of its pools'). */
export type MonthFigures = Pick<Reconciliation, 'opening' | 'credits' | 'allocated' | 'closing' | 'workers'>;

/**
 * A month's figures as one table, opening to closing and then the workers, the same lines for a pool's
 * reconciliation and an area's sum; `more` adds the lines only one of them has.
 */
export function monthFiguresTable(
  caption: string,
  f: MonthFigures,
  more: readonly (readonly Child[])[] = [],
): HTMLTableElement {
  return table(
    caption,
    ['', t('amount')],
    [
      [t('opening'), rupiah(f.opening)],
      [`+ ${t('deductions')}`, rupiah(f.credits.deductions)],
      [`+ ${t('corrections')}`, rupiah(f.credits.corrections)],
      [`+ ${t('grants')}`, rupiah(f.credits.grants)],
      [`= ${t('credits')}`, rupiah(f.credits.total)],
      [`− ${t('allocated')}`, rupiah(f.allocated)],
      [`= ${t('closing')}`, rupiah(f.closing)],
      [t('funded'), count(f.workers.funded)],
      [t('admitted'), count(f.workers.admitted)],
      [t('unfunded'), count(f.workers.unfunded)],
      [t('lapsedWorkers'), count(f.workers.lapsed)],
      [t('waitlist'), count(f.workers.waitlisted)],
      ...more,
    ],
  );
}
