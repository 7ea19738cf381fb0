import {
  allocationsByAgency,
  allocationsByMonth,
  allocationsByNik,
  allocationsByRun,
} from './allocations.ts';
import { coverageByNik } from './coverage.ts';
import type { FinanceDeps } from './deps.ts';
import {
  bill,
  billHeader,
  exportLink,
  poolBalance,
  reconciliation,
  reconciliations,
  runs,
  runsPage,
} from './reports.ts';
import { donorStatement } from './statement.ts';

/**
 * The finance queries (docs/design.md#what-finance-can-ask) bound to their ports: what the HTTP API and the CLI call.
 * Each is read-only; lists come one page at a time (see paging.ts).
 */
export function makeFinanceQueries(deps: FinanceDeps) {
  type Arg<F> = F extends (d: FinanceDeps, q: infer Q) => unknown ? Q : never;
  return {
    allocationsByMonth: (q: Arg<typeof allocationsByMonth>) => allocationsByMonth(deps, q),
    allocationsByRun: (q: Arg<typeof allocationsByRun>) => allocationsByRun(deps, q),
    allocationsByNik: (q: Arg<typeof allocationsByNik>) => allocationsByNik(deps, q),
    allocationsByAgency: (q: Arg<typeof allocationsByAgency>) => allocationsByAgency(deps, q),
    coverageByNik: (q: Arg<typeof coverageByNik>) => coverageByNik(deps, q),
    reconciliation: (q: Arg<typeof reconciliation>) => reconciliation(deps, q),
    reconciliations: (q: Arg<typeof reconciliations>) => reconciliations(deps, q),
    bill: (q: Arg<typeof bill>) => bill(deps, q),
    billHeader: (q: Arg<typeof billHeader>) => billHeader(deps, q),
    balance: (q: Arg<typeof poolBalance>) => poolBalance(deps, q),
    runs: (q: Arg<typeof runs>) => runs(deps, q),
    runsPage: (q: Arg<typeof runsPage>) => runsPage(deps, q),
    exportLink: (q: Arg<typeof exportLink>) => exportLink(deps, q),
    statement: (nip: string) => donorStatement(deps, nip),
    /** Several statements at once, reading each pool month only once (for batch exports). */
    statements: (nips: readonly string[]) => {
      const cache = new Map();
      return Promise.all(nips.map((nip) => donorStatement(deps, nip, cache)));
    },
  };
}

export type FinanceQueries = ReturnType<typeof makeFinanceQueries>;
export type { FinanceDeps } from './deps.ts';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from './paging.ts';
