import { describe, expect, it } from 'vitest';
import { ALERT_KIND_INFO, ALERT_KINDS, causeOf, gradeSeverity } from '#domain/alert-kinds.ts';
import { ALERT_KINDS as SCAN_KINDS } from '#domain/alerts.ts';

/** The one registry of alert kinds (docs/console.md#alerts): words, causes and the urgency rule. */
describe('the alert-kind registry', () => {
  it('is the list the scan uses, with words in both languages and what to do for every kind', () => {
    expect(SCAN_KINDS).toBe(ALERT_KINDS);
    for (const k of ALERT_KINDS) {
      const info = ALERT_KIND_INFO[k];
      for (const w of [info.label, info.action]) {
        expect(w.id.length, k).toBeGreaterThan(3);
        expect(w.en.length, k).toBeGreaterThan(3);
        expect(w.id, k).not.toBe(w.en);
      }
      expect(causeOf(k, {}).id.length, k).toBeGreaterThan(10);
    }
  });

  it('grades UNFUNDED, LAPSED, the allocation alerts and the last funded month before lapse critical', () => {
    const g = (kind: string, details: Record<string, number> = {}, daysUntilDue?: number) =>
      gradeSeverity({
        kind,
        severity: 'WARNING',
        details,
        ...(daysUntilDue === undefined ? {} : { daysUntilDue }),
      });
    expect(g('UNFUNDED')).toBe('CRITICAL');
    expect(g('LAPSED')).toBe('CRITICAL');
    expect(g('ALLOCATION_LATE')).toBe('CRITICAL');
    expect(g('ALLOCATION_STALLED')).toBe('CRITICAL');
    expect(g('AT_RISK', { wouldBeUnpaidMonth: 3 }, 12)).toBe('CRITICAL');
    expect(g('AT_RISK', { wouldBeUnpaidMonth: 1 }, 5)).toBe('CRITICAL');
    expect(g('AT_RISK', { wouldBeUnpaidMonth: 1 }, 6)).toBe('WARNING');
    expect(g('FILE_MISSING')).toBe('WARNING');
    expect(g('RUNWAY_LOW')).toBe('WARNING');
    expect(gradeSeverity({ kind: 'PAYMENT_UNCONFIRMED', severity: 'CRITICAL', details: {} })).toBe(
      'CRITICAL',
    );
    expect(g('SOMETHING_NEW')).toBe('WARNING');
  });

  it('writes the cause from the details, months and rupiah through the formatter given', () => {
    const f = { month: (p: string) => `<${p}>`, rupiah: (n: number) => `Rp ${n}` };
    expect(causeOf('UNFUNDED', { unpaidMonths: 2, paidThrough: '2026-03' }, f).id).toBe(
      'Proses alokasi tidak mendanai pekerja ini: 2 bulan tidak terbayar; terbayar sampai <2026-03>.',
    );
    expect(causeOf('PAYMENT_UNCONFIRMED', { billed: 16800 }, f).en).toBe(
      'Billed Rp 16800, no BPJS receipt yet.',
    );
    expect(causeOf('AT_RISK', { wouldBeUnpaidMonth: 3, paidThrough: '-' }, f).id).toContain(
      'belum pernah terbayar',
    );
  });
});
