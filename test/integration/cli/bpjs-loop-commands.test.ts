import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jakartaDateOf } from '#domain/period.ts';
import { runCli, smallRegion, writeRegionFiles } from './cli-support.ts';

/**
 * The BPJS loop's commands on an embedded runtime over one temp data dir: `bill approve|release`,
 * `payment record`, `template bpjs` + `submit bpjs`, `reconcile --bpjs` (docs/bpjs-loop.md).
 */
const dir = mkdtempSync(join(tmpdir(), 'sertakan-bpjs-'));
const at = ['--data-dir', join(dir, 'data')];
const region = smallRegion(3);
const files = writeRegionFiles(dir, region, '2026-01', 1_000_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bill = ['--pool', '15.04', '--month', '2026-01', ...at];

describe('sertakan bill / payment / submit bpjs / reconcile --bpjs', () => {
  it('runs the loop from the command line, refusing the same user twice', async () => {
    // prepare: workers and a grant, the month allocated.
    for (const args of [
      ['submit', 'workers', files.workers, '--pool', '15.04', ...at],
      ['submit', 'grant', files.grant, '--pool', '15.04', ...at],
      ['allocate', '--pool', '15.04', '--month', '2026-01', ...at],
    ]) {
      const r = await runCli(...args);
      expect(r.code, r.err).toBe(0);
    }
    // act
    const approve = await runCli('bill', 'approve', ...bill, '--by', 'keu.ani');
    const twice = await runCli('bill', 'release', ...bill, '--by', 'keu.ani');
    const release = await runCli('bill', 'release', ...bill, '--by', 'keu.budi', '--format', 'json');
    const total = JSON.parse(release.out).total as number;
    const pay = await runCli(
      'payment',
      'record',
      '--pool',
      '15.04',
      '--month',
      '2026-01',
      '--amount',
      String(total),
      '--date',
      jakartaDateOf(new Date()),
      '--ref',
      'KI-0001',
      '--by',
      'keu.citra',
      ...at,
    );
    const template = join(dir, 'bpjs.csv');
    expect((await runCli('template', 'bpjs', '--out', template)).code).toBe(0);
    const [first, ...rest] = region.workers;
    writeFileSync(
      template,
      `${readFileSync(template, 'utf8')}${[first, ...rest.slice(1)]
        .map((w) => `;${w?.nik};2026-01;${w?.tier};${w?.tier === 'JKK_JKM' ? 16800 : 36800};DITERIMA;;`)
        .join('\r\n')}\r\n`,
    );
    const submit = await runCli(
      'submit',
      'bpjs',
      template,
      '--pool',
      '15.04',
      '--month',
      '2026-01',
      '--format',
      'json',
      ...at,
    );
    const recon = await runCli('reconcile', ...bill, '--bpjs', '--format', 'json');
    const statement = join(dir, 'mutasi.csv');
    writeFileSync(
      statement,
      [
        'Tanggal;Keterangan;Debet;Kredit',
        '20/01/2026;BIAYA ADMIN;6.500,00;',
        `21/01/2026;TRSF BPJS SRTK/15.04/2026-01;${total};`,
      ].join('\n'),
    );
    const imported = await runCli('payment', 'import', statement, '--by', 'keu.citra', ...at);
    const trail = JSON.parse((await runCli('audit', '--pool', '15.04', '--format', 'json', ...at)).out) as {
      kind: string;
      actor: { name: string };
      via: string;
    }[];
    // one command at a time: each holds the data dir
    const coverage = [];
    for (const w of region.workers.slice(0, 2))
      coverage.push(await runCli('coverage', '--pool', '15.04', '--nik', w.nik, '--format', 'json', ...at));
    const table = await runCli('coverage', '--pool', '15.04', '--nik', region.workers[1]?.nik ?? '', ...at);
    // assess
    expect(approve.code, approve.err).toBe(0);
    expect(approve.out).toContain('disetujui / APPROVED');
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('SAME_USER_SECOND_APPROVAL');
    expect(JSON.parse(release.out)).toMatchObject({
      state: 'RELEASED',
      record: { released: { by: 'keu.budi' } },
    });
    expect(pay.code, pay.err).toBe(0);
    expect(pay.out).toContain('dicatat / recorded');
    expect(submit.code, submit.err).toBe(0);
    expect(JSON.parse(submit.out)).toMatchObject({ kind: 'BPJS', status: 'ACCEPTED', acceptedRows: 2 });
    const r = JSON.parse(recon.out);
    expect(r.threeWay.byClass.MATCHED.count).toBe(0);
    expect(r.threeWay.byClass.WORKER_UNKNOWN_TO_BPJS.count).toBe(3);
    expect(r.threeWay.lines.every((l: { nik: string }) => /\*/.test(l.nik))).toBe(true);
    // the statement: the bill is paid already (by KI-0001), so its row is refused, naming row and column
    expect(imported.code).toBe(1);
    expect(imported.out).toContain('baris 2: dilewati');
    expect(imported.out).toContain(
      'baris 3, kolom Keterangan: tagihan 15.04 2026-01 sudah dibayar (referensi KI-0001)',
    );
    // every decision and the payment are in the audit trail, with who
    expect(trail.map((t) => [t.kind, t.actor.name, t.via])).toEqual([
      ['BILL_APPROVED', 'keu.ani', 'cli'],
      ['BILL_RELEASED', 'keu.budi', 'cli'],
      ['PAYMENT_RECORDED', 'keu.citra', 'cli'],
    ]);
    // a worker's coverage: BPJS received the first worker's month, the second is missing from the answer
    expect(coverage.map((c) => JSON.parse(c.out).months)).toMatchObject([
      [{ month: '2026-01', funded: true, bpjs: 'CONFIRMED', answer: 'DITERIMA' }],
      [{ month: '2026-01', funded: true, bpjs: 'BILLED_NOT_CONFIRMED', answer: 'NOT_IN_ANSWER' }],
    ]);
    expect(JSON.parse(coverage[0]?.out ?? '{}').nik).toMatch(/\*/);
    expect(table.out).toContain('ditagih, belum dikonfirmasi BPJS');
  });
});
