import { beforeAll, describe, expect, it } from 'vitest';
import { validateKpj, validateNik, validateNip } from '#domain/identifiers.ts';
import { parseRupiah } from '#domain/money.ts';
import { generateSyntheticRegion } from '#shared/demo/synthetic-region.ts';
import type { FileDrop, SyntheticRegion } from '#shared/demo/types.ts';
import { readGrants, readPayroll, readWorkers } from './read-drop.ts';

const region = generateSyntheticRegion();
const drops = (r: SyntheticRegion, kind?: FileDrop['kind']): FileDrop[] =>
  r.months.flatMap((m) => m.drops).filter((d) => kind === undefined || d.kind === kind);

/** The last delivery of each key: what the intake holds once corrections have superseded originals. */
const finalPayroll = (r: SyntheticRegion): FileDrop[] => [
  ...new Map(drops(r, 'payroll').map((d) => [d.key, d] as const)).values(),
];

describe('generateSyntheticRegion: shape and determinism', () => {
  it('gives byte-identical files and people for the same seed, different ones for another seed', () => {
    const again = generateSyntheticRegion();
    expect(JSON.stringify(again)).toBe(JSON.stringify(region));
    const other = generateSyntheticRegion({ seed: 2 });
    expect(drops(other)[0]?.body).not.toBe(drops(region)[0]?.body);
  });

  it('has the default size: 24 agencies, 900 donors, 900 workers, 12 months', () => {
    expect(region.pool).toBe('15.04');
    expect(region.poolName).toBe('Batanghari');
    expect(region.agencies).toHaveLength(24);
    expect(region.donors).toHaveLength(900);
    expect(region.workers).toHaveLength(900);
    expect(region.periods).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    );
    expect(region.agencies.reduce((s, a) => s + a.donorCount, 0)).toBe(900);
    for (const a of region.agencies) expect(a.code).toMatch(/^[A-Za-z0-9.-]{1,40}$/);
  });

  it('makes only valid, distinct NIPs, NIKs from Batanghari districts, and 11-digit KPJs', () => {
    for (const d of region.donors) expect(validateNip(d.nip, new Date())).toEqual({ ok: true, value: d.nip });
    expect(new Set(region.donors.map((d) => d.nip)).size).toBe(region.donors.length);
    for (const w of region.workers) {
      expect(validateNik(w.nik, new Date()).ok).toBe(true);
      expect(w.nik).toMatch(/^1504(0[1-8])/);
      if (w.kpj !== undefined) expect(validateKpj(w.kpj)).toEqual({ ok: true, value: w.kpj });
    }
    expect(new Set(region.workers.map((w) => w.nik)).size).toBe(region.workers.length);
    const withKpj = region.workers.filter((w) => w.kpj).length / region.workers.length;
    expect(withKpj).toBeGreaterThan(0.6);
    expect(withKpj).toBeLessThan(0.8);
    const jht = region.workers.filter((w) => w.tier === 'JKK_JKM_JHT').length / region.workers.length;
    expect(jht).toBeGreaterThan(0.15);
    expect(jht).toBeLessThan(0.25);
  });

  it('lets ~3% of donors earmark an enrolled worker who never exits', () => {
    const byNik = new Map(region.workers.map((w) => [w.nik, w]));
    const earmarks = region.donors.filter((d) => d.workerNik !== undefined);
    expect(earmarks.length).toBeGreaterThan(region.donors.length * 0.015);
    expect(earmarks.length).toBeLessThan(region.donors.length * 0.05);
    for (const d of earmarks) {
      const w = byNik.get(d.workerNik ?? '');
      expect(w).toBeDefined();
      expect(w?.exit).toBeUndefined();
      expect((w?.enrolledOn ?? '9999') < '2026-01-01').toBe(true);
    }
  });

  it('names every file by the key layout of docs/design.md and delivers it in its month', () => {
    for (const m of region.months) {
      for (const d of m.drops) {
        expect(d.deliverOn.startsWith(m.period)).toBe(true);
        const pattern = {
          payroll: /^incoming\/payroll\/15\.04\/(\d{4}-\d{2})\/[A-Za-z0-9.-]{1,40}\.csv$/,
          workers: /^incoming\/workers\/15\.04\/[^/]+\.csv$/,
          grants: /^incoming\/grants\/15\.04\/[^/]+\.csv$/,
        }[d.kind];
        expect(d.key).toMatch(pattern);
        if (d.kind === 'payroll') expect(pattern.exec(d.key)?.[1]).toBe(m.period);
      }
    }
  });

  it('mixes the formats real treasurers send', () => {
    const bodies = drops(region, 'payroll').map((d) => d.body);
    expect(
      bodies.filter((b) => b.startsWith('\uFEFF') && b.split('\n')[0]?.includes(';')).length,
    ).toBeGreaterThan(100);
    expect(
      bodies.filter((b) => !b.startsWith('\uFEFF') && b.split('\n')[0]?.includes(',')).length,
    ).toBeGreaterThan(100);
    const all = bodies.join('\n');
    for (const sample of [
      /[;,]16800[;,\r\n]/,
      /[;,]16\.800[;,\r\n]/,
      /Rp16\.800/,
      /"?Rp 16\.800,00"?/,
      /\nTOTAL[;,]\d+[;,]\d+/,
    ]) {
      expect(all).toMatch(sample);
    }
  });

  it('generates the default region in well under a second of CPU', () => {
    const before = process.cpuUsage();
    generateSyntheticRegion({ seed: 7 });
    const used = process.cpuUsage(before);
    // Not a timing assert on wall time: CPU time, with a wide margin for a loaded CI box.
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
  });
});

describe('generateSyntheticRegion: files read by the real intake', () => {
  type Seen = { rejected: { key: string; line: number; reason: string }[]; sums: Map<string, number> };
  const seen: Seen = { rejected: [], sums: new Map() };
  beforeAll(async () => {
    for (const d of finalPayroll(region)) {
      const read = await readPayroll(d.key, d.body);
      for (const r of read.rejected) seen.rejected.push({ key: d.key, ...r });
      seen.sums.set(
        d.key,
        read.accepted.reduce((s, x) => s + x.amount, 0),
      );
    }
  });

  it('rejects exactly the planted bad rows, at their lines, for their reasons', () => {
    const planted = region.expected.badRows.map(({ key, line, reason }) => ({ key, line, reason }));
    expect(planted.length).toBeGreaterThanOrEqual(24);
    expect(new Set(planted.map((b) => b.reason))).toEqual(
      new Set(['NIP_FORMAT', 'AMOUNT_HAS_SEN', 'PERIOD_MISMATCH', 'DUPLICATE_ROW']),
    );
    const order = (a: { key: string; line: number }, b: { key: string; line: number }) =>
      a.key.localeCompare(b.key) || a.line - b.line;
    expect([...seen.rejected].sort(order)).toEqual([...planted].sort(order));
  });

  it('accepts rupiah per agency and period equal to the expected totals, corrections applied', () => {
    for (const p of region.expected.periods) {
      let sum = 0;
      for (const [agency, total] of Object.entries(p.agencies)) {
        const key = `incoming/payroll/15.04/${p.period}/${agency}.csv`;
        expect(seen.sums.get(key), key).toBe(total.sum);
        sum += total.sum;
      }
      expect(p.validSum).toBe(sum);
      expect(p.badRows).toBe(region.expected.badRows.filter((b) => b.key.includes(`/${p.period}/`)).length);
    }
    const expectedKeys = region.expected.periods.flatMap((p) =>
      Object.keys(p.agencies).map((a) => `${p.period}/${a}`),
    );
    expect(new Set(expectedKeys).size).toBe(seen.sums.size);
  });

  it('writes good rows the domain parsers accept: NIP and amount cell by cell', async () => {
    const d = finalPayroll(region).find((x) => x.body.includes('Rp 16.800,00') && !x.body.includes(',50'));
    expect(d).toBeDefined();
    const read = await readPayroll(d?.key ?? '', d?.body ?? '');
    const cells = read.table.header.columns.map((c) => c.toLowerCase());
    expect(cells).toContain(cells.includes('nip') ? 'nip' : 'NIP');
    for (const row of read.accepted) {
      expect(validateNip(row.nip, new Date()).ok).toBe(true);
      expect(parseRupiah(String(row.amount))).toEqual({ ok: true, value: row.amount });
    }
  });

  it('re-uploads one file with changed amounts and one donor removed', async () => {
    const fix = region.expected.correction;
    expect(fix).toBeDefined();
    const versions = drops(region, 'payroll').filter((d) => d.key === fix?.key);
    expect(versions).toHaveLength(2);
    const [first, second] = versions as [FileDrop, FileDrop];
    expect(second.deliverOn > first.deliverOn).toBe(true);
    const amounts = async (d: FileDrop) =>
      new Map((await readPayroll(d.key, d.body)).accepted.map((x) => [x.nip, x.amount] as const));
    const before = await amounts(first);
    const after = await amounts(second);
    expect(before.has(fix?.removedNip ?? '')).toBe(true);
    expect(after.has(fix?.removedNip ?? '')).toBe(false);
    const changed = [...after].filter(([nip, amount]) => before.get(nip) !== amount).map(([nip]) => nip);
    expect(changed.sort()).toEqual([...(fix?.changedNips ?? [])].sort());
    expect([...before.values()].reduce((s, a) => s + a, 0)).toBe(fix?.originalSum);
    expect([...after.values()].reduce((s, a) => s + a, 0)).toBe(fix?.correctedSum);
  });

  it('has the largest agency fall silent for months 5-7 and a few files arrive after the cutoff day', () => {
    const stopped = region.expected.stoppedAgency;
    expect(stopped).toMatchObject({ lastPeriod: '2026-04', returnsFrom: '2026-08' });
    const largest = Math.max(...region.agencies.map((a) => a.donorCount));
    expect(region.agencies.find((a) => a.code === stopped?.agency)?.donorCount).toBe(largest);
    const periodsSent = drops(region, 'payroll')
      .filter((d) => d.key.endsWith(`/${stopped?.agency}.csv`))
      .map((d) => d.key.split('/')[3]);
    expect(periodsSent).toEqual([...region.periods.slice(0, 4), ...region.periods.slice(7)]);
    const late = new Set(region.expected.lateFiles);
    expect(late.size).toBeGreaterThanOrEqual(12);
    // The corrected re-upload comes a few days after an on-time original: not a late file.
    const onTime = drops(region, 'payroll').filter((d) => d.key !== region.expected.correction?.key);
    for (const d of onTime) {
      const day = Number(d.deliverOn.slice(8, 10));
      if (late.has(d.key)) expect(day).toBeGreaterThan(5);
      else expect(day).toBeLessThanOrEqual(5);
    }
  });

  it('enrolls every worker once through worker files the intake accepts, plus one exit file', async () => {
    const enrolled = new Map<string, string>();
    const exited = new Map<string, string>();
    for (const d of drops(region, 'workers')) {
      const read = await readWorkers(d.body);
      expect(read.rejected).toEqual([]);
      for (const w of read.accepted) {
        if (w.exit) exited.set(w.nik, w.exit.reason);
        else enrolled.set(w.nik, w.enrolledOn);
      }
    }
    expect(enrolled.size).toBe(region.workers.length);
    for (const w of region.workers) expect(enrolled.get(w.nik)).toBe(w.enrolledOn);
    expect([...exited.keys()].sort()).toEqual(
      region.workers
        .filter((w) => w.exit)
        .map((w) => w.nik)
        .sort(),
    );
    expect(exited.size).toBeGreaterThanOrEqual(3);
    expect(drops(region, 'workers')[0]?.key).toMatch(/pendaftaran-awal/);
  });

  it('delivers the APBD/BKBK grant file late, in month 6, with the expected amounts', async () => {
    const [grant, ...more] = drops(region, 'grants');
    expect(more).toEqual([]);
    expect(grant?.deliverOn.slice(0, 7)).toBe('2026-06');
    const read = await readGrants(grant?.body ?? '');
    expect(read.rejected).toEqual([]);
    expect(read.accepted.map((g) => [g.reference, g.source, g.period, g.amount])).toEqual(
      region.expected.grants.map((g) => [g.reference, g.source, g.period, g.amount]),
    );
  });
});

describe('generateSyntheticRegion: options', () => {
  it('scales down to a small short run and still plants every kind of event it can', async () => {
    const small = generateSyntheticRegion({ seed: 3, months: 2, donors: 120, workers: 40, agencies: 8 });
    expect(small.periods).toEqual(['2026-01', '2026-02']);
    expect(small.expected.stoppedAgency).toBeUndefined();
    expect(small.expected.correction?.key).toMatch(/\/2026-02\//);
    for (const d of finalPayroll(small)) await readPayroll(d.key, d.body);
    expect(small.expected.badRows.length).toBe(4);
  });

  it('refuses options that cannot make a region', () => {
    expect(() => generateSyntheticRegion({ months: 0 })).toThrow(RangeError);
    expect(() => generateSyntheticRegion({ donors: 10, agencies: 40 })).toThrow(RangeError);
    expect(() => generateSyntheticRegion({ startPeriod: '2026-13' })).toThrow(RangeError);
  });
});
