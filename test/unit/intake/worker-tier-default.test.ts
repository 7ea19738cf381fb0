import { describe, expect, it } from 'vitest';
import { makeNik } from '#domain/identifiers.ts';
import type { Tier } from '#domain/model.ts';
import { FileRejectedError } from '#shared/intake/errors.ts';
import { openTable } from '#shared/intake/open-table.ts';
import type { RowOutcome } from '#shared/intake/row-kit.ts';
import { validateWorkerRows, type WorkerRow, workerColumns } from '#shared/intake/worker-rows.ts';

/** A pool's tier default (PoolRecord.tierDefault) fills a blank or absent `paket`; without one, it is required. */
const nik = (seq: number) =>
  makeNik({ regency: '15.04', district: '01', birth: '1985-03-14', female: false, seq });

async function validate(csv: string, tierDefault?: Tier): Promise<RowOutcome<WorkerRow>[]> {
  const bytes = new TextEncoder().encode(csv);
  const table = await openTable(
    (async function* () {
      yield bytes;
    })(),
    { fileName: 'workers.csv', columns: workerColumns(tierDefault) },
  );
  const today = new Date();
  const ctx = tierDefault === undefined ? { pool: '15.04', today } : { pool: '15.04', today, tierDefault };
  const outcomes: RowOutcome<WorkerRow>[] = [];
  for await (const o of validateWorkerRows(table, ctx)) outcomes.push(o);
  return outcomes;
}

const tiers = (outcomes: RowOutcome<WorkerRow>[]) =>
  outcomes.map((o) => (o.ok ? o.value.tier : `${o.line}:${o.reason}`));

describe('a pool tier default for the workers file', () => {
  const withColumn = [
    'nik;nama;paket;pekerjaan;tanggal_daftar',
    `${nik(1)};Warga 1;;petani;2022-12-15`,
    `${nik(2)};Warga 2;JKK_JKM_JHT;petani;2022-12-15`,
    `${nik(3)};Warga 3;  ;petani;2022-12-15`,
  ].join('\n');
  const withoutColumn = [
    'nik;nama;pekerjaan;tanggal_daftar',
    `${nik(1)};Warga 1;petani;2022-12-15`,
    `${nik(2)};Warga 2;nelayan;2022-12-15`,
  ].join('\n');

  it('gives blank cells the default and keeps a stated package', async () => {
    expect(tiers(await validate(withColumn, 'JKK_JKM'))).toEqual(['JKK_JKM', 'JKK_JKM_JHT', 'JKK_JKM']);
    expect(tiers(await validate(withColumn, 'JKK_JKM_JHT'))).toEqual([
      'JKK_JKM_JHT',
      'JKK_JKM_JHT',
      'JKK_JKM_JHT',
    ]);
  });

  it('lets the paket column be left out when the pool has a default', async () => {
    expect(tiers(await validate(withoutColumn, 'JKK_JKM'))).toEqual(['JKK_JKM', 'JKK_JKM']);
  });

  it('without a default, a blank package is TIER_INVALID and a missing column rejects the file', async () => {
    expect(tiers(await validate(withColumn))).toEqual(['2:TIER_INVALID', 'JKK_JKM_JHT', '4:TIER_INVALID']);
    const missing = await validate(withoutColumn).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FileRejectedError);
    expect((missing as FileRejectedError).reason).toBe('COLUMN_MISSING');
  });

  it('does not turn an unreadable package into the default', async () => {
    const csv = [
      'nik;nama;paket;pekerjaan;tanggal_daftar',
      `${nik(1)};Warga 1;JHT saja;petani;2022-12-15`,
    ].join('\n');
    expect(tiers(await validate(csv, 'JKK_JKM'))).toEqual(['2:TIER_INVALID']);
  });
});
