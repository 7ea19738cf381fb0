import { beforeEach, describe, expect, it } from 'vitest';
import { makeCreditGrants } from '#shared/use-cases/intake/credit-grants.ts';
import { InMemoryCreditLedger } from '#test/support/in-memory-credit-ledger.ts';
import { INTAKE_BUCKET, makeIntakeFakes, REPORTS_BUCKET } from '#test/support/in-memory-intake.ts';
import { fixedClock } from './payroll-fixtures.ts';

const grantsCsv = (rows: readonly string[]): string =>
  `${['referensi;sumber;periode;jumlah;keterangan', ...rows].join('\r\n')}\r\n`;

function setup() {
  const fakes = makeIntakeFakes();
  const ledger = new InMemoryCreditLedger();
  const registered: [string, string][] = [];
  const pools = {
    ensure: async (pool: string, origin: string) => {
      registered.push([pool, origin]);
      return 'CREATED' as const;
    },
  };
  const credit = makeCreditGrants({
    ...fakes,
    ledger,
    pools,
    clock: fixedClock(),
    reportsBucket: REPORTS_BUCKET,
  });
  const upload = async (key: string, text: string) => {
    await fakes.objects.put(INTAKE_BUCKET, key, text, 'text/csv');
    return credit({ bucket: INTAKE_BUCKET, key });
  };
  return { ...fakes, ledger, credit, upload, registered };
}

describe('credit-grants', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('registers the pool its key names: a grant-funded village is a pool without any payroll file', async () => {
    await t.upload('incoming/grants/15.04.01.2001/bkbk.csv', grantsCsv(['BKBK-1;BKBK;2023-01;10000000;']));
    await t.upload('incoming/grants/bad-key.csv', grantsCsv(['BKBK-2;BKBK;2023-01;10000000;']));
    expect(t.registered).toEqual([['15.04.01.2001', 'GRANTS']]);
  });

  it('a grant dated more than a budget year ahead is a row rejection naming the field; up to 12 months is taken', async () => {
    // the clock is 3 Feb 2026 (Asia/Jakarta): up to 2027-02 may be given
    const out = await t.upload(
      'incoming/grants/15.04/apbd.csv',
      grantsCsv([
        'APBD-2027;APBD;2027-02;1000000;',
        'APBD-2100;APBD;2100-01;2000000;',
        'BKBK-2023;BKBK;2023-01;3000000;',
      ]),
    );
    expect(out).toMatchObject({
      status: 'PARTIALLY_REJECTED',
      amounts: { accepted: 4_000_000 },
    });
    const report = (await t.objects.getText(REPORTS_BUCKET, out.reportKey)).split('\r\n');
    expect(report.filter((l) => l !== '').slice(1)).toEqual([
      expect.stringMatching(/^3;periode;2100-01;GRANT_PERIOD_TOO_FAR_AHEAD;/),
    ]);
    expect([...t.ledger.grants.values()].map((g) => g.grant.reference).sort()).toEqual([
      'APBD-2027',
      'BKBK-2023',
    ]);
  });

  it('credits each valid grant once, also on redelivery', async () => {
    const key = 'incoming/grants/15.04/2026-bkbk.csv';
    const out = await t.upload(
      key,
      grantsCsv(['BKBK-2026-001;BKBK;2026-01;Rp 1.000.000.000;desa', 'CSR-77;CSR;2026-02;50.000.000;']),
    );
    await t.credit({ bucket: INTAKE_BUCKET, key });

    expect(out).toMatchObject({
      kind: 'GRANTS',
      status: 'ACCEPTED',
      amounts: { accepted: 1_050_000_000, rejected: 0 },
    });
    expect([...t.ledger.grants.values()].map((g) => g.grant)).toEqual([
      {
        pool: '15.04',
        reference: 'BKBK-2026-001',
        source: 'BKBK',
        period: '2026-01',
        amount: 1_000_000_000,
        note: 'desa',
        fileId: out.fileId,
        line: 2,
      },
      {
        pool: '15.04',
        reference: 'CSR-77',
        source: 'CSR',
        period: '2026-02',
        amount: 50_000_000,
        fileId: out.fileId,
        line: 3,
      },
    ]);
    expect(t.ledger.calls.filter((c) => c.method === 'writeGrant')).toHaveLength(2);
  });

  it('rejects a reused reference with different money (REFERENCE_DUPLICATE) and credits the rest', async () => {
    await t.upload('incoming/grants/15.04/a.csv', grantsCsv(['APBD-1;APBD;2026-01;100000000;']));
    const out = await t.upload(
      'incoming/grants/15.04/b.csv',
      grantsCsv(['APBD-1;APBD;2026-01;200000000;', 'APBD-2;APBD;2026-01;300000000;', 'X;NOPE;2026-01;1;']),
    );

    expect(out.status).toBe('PARTIALLY_REJECTED');
    expect(out.counts).toEqual({ dataRows: 3, acceptedRows: 1, rejectedRows: 2 });
    expect(out.amounts).toEqual({ accepted: 300_000_000, rejected: 200_000_000 });
    const report = (await t.objects.getText(REPORTS_BUCKET, out.reportKey)).split('\r\n');
    expect(report[1]).toMatch(/^2;referensi;APBD-1;REFERENCE_DUPLICATE;/);
    expect(report[2]).toMatch(/^4;sumber;NOPE;SOURCE_INVALID;/);
    expect(t.ledger.grants.get('15.04#APBD-1')?.grant.amount).toBe(100_000_000);
  });

  it('a grant key in the wrong place is KEY_INVALID', async () => {
    const out = await t.upload('incoming/grants/99/a.csv', grantsCsv(['A;APBD;2026-01;1000;']));
    expect(out).toMatchObject({ status: 'REJECTED', rejectReason: 'KEY_INVALID' });
    expect(t.ledger.grants.size).toBe(0);
  });
});
