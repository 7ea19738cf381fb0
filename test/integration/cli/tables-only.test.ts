import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { connect } from '#shared/cli/connect.ts';
import { openTables } from '#shared/cli/tables-target.ts';
import { CliUsageError } from '#shared/cli/usage.ts';
import { parseRequest, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { runCli } from './cli-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'sertakan-tables-only-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a query on a data dir without local up', () => {
  it('starts DynamoDB alone, with the tables, and lets go of the data dir when it closes', async () => {
    // act
    const target = await openTables({ target: 'local', stage: 'local', dataDir: dir });
    let tableNames: string[];
    try {
      tableNames = (await target.ddb.send(new ListTablesCommand({}))).TableNames ?? [];
    } finally {
      await target.close();
    }
    // assess: the three tables, DynamoDB's files only (no S3 store, no queues), and the lock is gone.
    expect(tableNames.sort()).toEqual([
      'sertakan-local-audit',
      'sertakan-local-ledger',
      'sertakan-local-registry',
    ]);
    expect(target.via).toBe(`embedded local cloud on ${dir}`);
    expect(readdirSync(dir).sort()).toEqual(['dynamodb']);
    expect(existsSync(join(dir, 'sertakan.lock'))).toBe(false);
  });

  it('answers a finance query from those tables (an unknown pool: the registry says so)', async () => {
    // arrange
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const connection = await connect({ target: 'local', stage: 'local', dataDir: dir });
    // act
    const asked = connection.queries.balance({ pool: parseRequest(poolSchema, '15.04') });
    // assess
    try {
      await expect(asked).rejects.toThrow('pool 15.04 is not registered');
    } finally {
      await connection.close();
      vi.restoreAllMocks();
    }
    expect(readdirSync(dir).sort()).toEqual(['dynamodb']);
  });

  it('refuses a read on a data dir that holds no tables, and makes nothing there', async () => {
    // arrange: a mistyped --data-dir (it does not exist) and an empty one
    const typo = join(dir, 'dmeo');
    const empty = mkdtempSync(join(tmpdir(), 'sertakan-empty-'));
    try {
      for (const dataDir of [typo, empty]) {
        // act
        const asked = connect({ target: 'local', stage: 'local', dataDir }, { needsData: true });
        // assess: the message names the data dir and where the demo's data is
        await expect(asked).rejects.toThrow(CliUsageError);
        await expect(asked).rejects.toThrow(`${dataDir} holds no data`);
        await expect(asked).rejects.toThrow('.sertakan/demo');
      }
      expect(existsSync(typo)).toBe(false);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.each([
    ['reconcile', '--pool', '15.04', '--month', '2026-01'],
    ['reconcile', '--pool', '15.04', '--month', '2026-01', '--bpjs'],
    ['balance', '--pool', '15.04'],
    ['query', 'allocations', '--pool', '15.04', '--month', '2026-01'],
    ['pool', 'list'],
    ['forecast', '--pool', '15.04'],
    ['payment', 'list', '--pool', '15.04'],
    ['change', 'list'],
    ['file', 'show', '--file', 'a'.repeat(24)],
    ['reports', 'get', 'reports/bpjs-bill/15.04/2026-01.csv', '--out', '-'],
    ['audit'],
    ['dlq', 'list'],
  ])('sertakan %s ... on a mistyped data dir says so and creates nothing', async (...args) => {
    // arrange
    const typo = join(dir, 'dmeo');
    // act
    const { code, err } = await runCli(...args, '--data-dir', typo);
    // assess
    expect(code).toBe(1);
    expect(err).toContain(`${typo} holds no data`);
    expect(existsSync(typo)).toBe(false);
  });
});
