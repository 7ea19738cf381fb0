import { describe, expect, it } from 'vitest';
import type { ConsoleAlert } from '#domain/ports/alert-desk.ts';
import { alertPage } from '#shared/console/alert-page.ts';
import { alertPageSchema, overviewSchema, reconciliationSchema } from '#shared/console/responses.ts';
import { parseAnswer, ResponseShapeError } from '#shared/console-web/src/answer.ts';

/**
 * The console's answers have one description (shared/console/responses.ts): the routes are typed with
 * it and the browser parses each answer with it. An answer of another shape never reaches a page as
 * figures: the browser's getJson refuses it, and the page says so in a sentence (words.ts; the browser
 * test shows it on a page).
 */

const month = {
  month: '2026-04',
  status: 'DONE',
  opening: 100_000,
  credits: { deductions: 50_400, corrections: -16_800, grants: 0, total: 33_600 },
  allocated: 33_600,
  closing: 100_000,
  workers: { funded: 2, admitted: 0, unfunded: 0, lapsed: 0, waitlisted: 0 },
  balanced: true,
};
const overview = {
  pool: '15.04',
  balance: {
    balance: 100_000,
    allocated: 33_600,
    credits: { deductions: 150_400, corrections: -16_800, grants: 0, total: 133_600 },
    asOf: '2026-05-11T00:00:00.000Z',
    lastMonth: '2026-04',
    lastClosing: 100_000,
    pendingCorrections: 0,
    futureCredits: 0,
  },
  months: [month],
};

describe('the console answers and their schemas', () => {
  it('an overview as the route sends it parses; one with a rupiah as text or a month missing does not', () => {
    expect(overviewSchema.parse(overview).months[0]?.closing).toBe(100_000);
    expect(
      overviewSchema.safeParse({ ...overview, balance: { ...overview.balance, balance: '100.000' } }).success,
    ).toBe(false);
    expect(overviewSchema.safeParse({ pool: '15.04', balance: overview.balance }).success).toBe(false);
    // Rupiah are integers: a float is as wrong as text.
    expect(reconciliationSchema.safeParse({ ...month, allocated: 33_600.5 }).success).toBe(false);
  });

  it("the alerts route's own page parses with the browser's schema", () => {
    const alert: ConsoleAlert = {
      ref: 'a'.repeat(20),
      kind: 'AT_RISK',
      month: '2026-05',
      firstSeen: '2026-05-11',
      severity: 'WARNING',
      subject: '1504**********01',
      subjectType: 'WORKER',
      daysUntilDue: 4,
      details: { tier: 'JKK_JKM' },
    };
    const page = alertPage('15.04', [alert], {}, new Date('2026-05-11T03:00:00Z'));
    const parsed = alertPageSchema.parse(JSON.parse(JSON.stringify(page)));
    // The 15th of May 2026 is not a working day: the due date moves, as the route computed it.
    expect(parsed.items.map((a) => [a.kind, a.dueDate])).toEqual([['AT_RISK', page.items[0]?.dueDate]]);
    expect(parsed.items[0]?.daysLeft).toBe(page.items[0]?.daysLeft);
    expect(
      alertPageSchema.safeParse({ ...page, items: [{ ...page.items[0], severity: 'URGENT' }] }).success,
    ).toBe(false);
  });
});

describe('the browser code reading an answer', () => {
  it('hands a well-shaped answer to the page, typed by the schema', () => {
    expect(parseAnswer('/api/pools/15.04/overview', overview, overviewSchema).balance.balance).toBe(100_000);
  });

  it('refuses a malformed answer, naming where it is wrong (the page shows RESPONSE_INVALID)', () => {
    const err = (() => {
      try {
        return parseAnswer(
          '/api/pools/15.04/overview',
          { pool: '15.04', balance: { balance: 'banyak' } },
          overviewSchema,
        );
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect((err as ResponseShapeError).issues.join(' ')).toMatch(/balance\.balance/);
    // Not JSON at all (an HTML error page from a proxy) fails the same way.
    expect(() => parseAnswer('/api/me', undefined, overviewSchema)).toThrow(ResponseShapeError);
  });
});
