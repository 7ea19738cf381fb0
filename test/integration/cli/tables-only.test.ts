import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { connect } from '#shared/cli/connect.ts';
import { openTables } from '#shared/cli/tables-target.ts';
import { CliUsageError } from '#shared/cli/usage.ts';
import { parseRequest, poolSchema } from '#shared/use-cases/finance/requests.ts';

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
});
