import { describe, expect, it } from 'vitest';
import { confirmedCoverageOf } from '#domain/confirmed-coverage.ts';
import type { AllocationEntry } from '#domain/ports/allocation/run-record.ts';
import type { ConfirmationLine } from '#domain/ports/confirmation-store.ts';
import { coverageTable } from '#shared/csv/coverage-export.ts';
import { routeBpjsRequest } from '#shared/finance-api/bpjs-routes.ts';
import { coverageByNik } from '#shared/use-cases/finance/coverage.ts';
import { InMemoryConfirmationStore } from '#test/support/in-memory-bpjs-loop.ts';
import { fundedRun } from '#test/support/run-records.ts';
import { fakeFinance } from '../finance/fakes.ts';

const NIK = '1504010101900001';
const OTHER = '1504010101900002';

const entry = (month: string, nik = NIK): AllocationEntry => ({
  pool: '15.04',
  month,
  nik,
  tier: 'JKK_JKM',
  amount: 16_800,
  priority: 'ACTIVE',
  runId: `15.04/${month}/001`,
  name: 'Siti Aminah',
  allocatedAt: `${month}-10T01:00:00.000Z`,
});

const line = (month: string, over: Partial<ConfirmationLine> = {}): ConfirmationLine => ({
  nik: NIK,
  kpj: '12345678901',
  month,
  programme: 'JKK_JKM',
  amount: 16_800,
  status: 'DITERIMA',
  line: 2,
  ...over,
});

/**
 * A worker billed in January (BPJS received it), February (BPJS refused it), March (paid, BPJS's answer
 * missing the worker) and April (no answer yet), and not billed in May (BPJS's answer has only another worker).
 */
async function world() {
  const fake = fakeFinance(new Date('2026-05-20T00:00:00Z'));
  for (const m of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05']) fake.runs.push(fundedRun(m, 1));
  fake.entries.push(
    ...['2026-01', '2026-02', '2026-03', '2026-04'].map((m) => entry(m)),
    entry('2026-05', OTHER),
  );
  const confirmations = new InMemoryConfirmationStore();
  const answer = async (month: string, lines: ConfirmationLine[]) => {
    await confirmations.putLines('15.04', month, `f-${month}`, lines);
    await confirmations.setCurrent('15.04', month, {
      fileId: `f-${month}`,
      key: `incoming/bpjs/15.04/${month}/jawaban.csv`,
      receivedAt: `${month}-20T00:00:00.000Z`,
      lines: lines.length,
    });
  };
  await answer('2026-01', [line('2026-01')]);
  await answer('2026-02', [line('2026-02', { status: 'DITOLAK', amount: 0 })]);
  await answer('2026-03', [line('2026-03', { nik: OTHER })]);
  await answer('2026-05', [line('2026-05', { nik: OTHER })]);
  // An older file of January that refused the worker: replaced, so it no longer counts.
  await confirmations.putLines('15.04', '2026-01', 'f-old', [
    line('2026-01', { status: 'DITOLAK', amount: 0 }),
  ]);
  return { deps: { ...fake.deps, confirmations } };
}

describe("a worker's coverage: allocated and confirmed by BPJS", () => {
  it('classifies a worker-month from the bill and the answer that counts', () => {
    expect(confirmedCoverageOf(true, true, line('2026-01'))).toEqual({
      bpjs: 'CONFIRMED',
      answer: 'DITERIMA',
      receipted: 16_800,
    });
    expect(confirmedCoverageOf(true, true, line('2026-01', { status: 'DITOLAK', amount: 0 }))).toMatchObject({
      bpjs: 'BILLED_NOT_CONFIRMED',
      answer: 'DITOLAK',
    });
    // A DITERIMA line with nothing received is no confirmation (the scan's PAYMENT_UNCONFIRMED agrees).
    expect(confirmedCoverageOf(true, true, line('2026-01', { amount: 0 })).bpjs).toBe('BILLED_NOT_CONFIRMED');
    expect(confirmedCoverageOf(true, true, undefined)).toMatchObject({ answer: 'NOT_IN_ANSWER' });
    expect(confirmedCoverageOf(true, false, undefined)).toMatchObject({
      bpjs: 'BILLED_NOT_CONFIRMED',
      answer: 'NO_ANSWER',
    });
    expect(confirmedCoverageOf(false, true, line('2026-01'))).toMatchObject({
      bpjs: 'NOT_BILLED',
      answer: 'DITERIMA',
    });
  });

  it('shows every month the pool ran, newest first: confirmed, billed but not confirmed, not billed', async () => {
    const { deps } = await world();
    const c = await coverageByNik(deps, { pool: '15.04', nik: NIK });
    expect(c.name).toBe('Siti Aminah');
    expect(c.months.map((m) => [m.month, m.funded, m.bpjs, m.answer, m.receipted])).toEqual([
      ['2026-05', false, 'NOT_BILLED', 'NOT_IN_ANSWER', 0],
      ['2026-04', true, 'BILLED_NOT_CONFIRMED', 'NO_ANSWER', 0],
      ['2026-03', true, 'BILLED_NOT_CONFIRMED', 'NOT_IN_ANSWER', 0],
      ['2026-02', true, 'BILLED_NOT_CONFIRMED', 'DITOLAK', 0],
      ['2026-01', true, 'CONFIRMED', 'DITERIMA', 16_800],
    ]);
    expect(c.months[1]).toMatchObject({ tier: 'JKK_JKM', amount: 16_800, priority: 'ACTIVE' });
    // the table in Bahasa, codes kept for scripts
    const t = coverageTable(c);
    expect(t.rows[4]).toEqual([
      '2026-01',
      'ya',
      'JKK_JKM',
      16_800,
      'ACTIVE',
      'CONFIRMED',
      'dikonfirmasi BPJS',
      'diterima',
      16_800,
    ]);
    expect(t.rows[3]?.[7]).toBe('ditolak BPJS');
    await expect(coverageByNik(deps, { pool: '15.09', nik: NIK })).rejects.toMatchObject({
      code: 'POOL_UNKNOWN',
    });
  });

  it('the finance API route: masked unless asked, unmasked only with the grant and recorded', async () => {
    const { deps } = await world();
    const recorded: string[] = [];
    const route = (query: Record<string, string>, grants: readonly string[] = []) =>
      routeBpjsRequest(
        {
          coverage: (q: { pool: string; nik: string }) => coverageByNik(deps, q),
        } as unknown as Parameters<typeof routeBpjsRequest>[0],
        { method: 'GET', path: '/pools/15.04/coverage', query, body: undefined },
        {
          caller: { id: 'fin', role: 'finance', pools: ['15'], grants },
          record: async (a: { kind: string; ref?: string }) => {
            recorded.push(`${a.kind} ${a.ref}`);
          },
        } as unknown as Parameters<typeof routeBpjsRequest>[2],
      );
    const masked = (await route({ nik: NIK })) as { nik: string; name: string; months: unknown[] };
    expect(masked.nik).not.toContain('0101900001');
    expect(JSON.stringify(masked)).not.toMatch(/\d{16}|Siti/);
    expect(masked.months).toHaveLength(5);
    await expect(route({ nik: NIK, unmasked: 'true' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await route({ nik: NIK, unmasked: 'true' }, ['unmasked'])).toMatchObject({ nik: NIK });
    expect(recorded).toEqual(['UNMASKED_READ coverage-by-nik']);
    await expect(route({})).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
