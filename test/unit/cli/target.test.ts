import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect } from '#shared/cli/connect.ts';
import { openTarget } from '#shared/cli/target.ts';
import { CliUsageError } from '#shared/cli/usage.ts';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sertakan-target-'));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('where the CLI works', () => {
  it('the finance queries wait for the data-dir lock like every other command', async () => {
    // prepare: a live process (this one) holds the data dir.
    const dir = dataDir();
    writeFileSync(join(dir, 'sertakan.lock'), String(process.pid));
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);

    // act
    const connecting = connect({ target: 'local', stage: 'local', dataDir: dir }, { lockWaitMs: 300 });

    // assess
    await expect(connecting).rejects.toThrow(CliUsageError);
    await expect(connecting).rejects.toThrow(`in use by another sertakan process (pid ${process.pid})`);
  });

  it('refuses an endpoints file that is not what `local up` writes, naming the file and the fields', async () => {
    const notJson = dataDir();
    writeFileSync(join(notJson, 'endpoints.json'), '{"region": "ap-southeast-3",');
    const missing = dataDir();
    writeFileSync(
      join(missing, 'endpoints.json'),
      JSON.stringify({ region: 'ap-southeast-3', endpoints: { dynamodb: 'http://127.0.0.1:1' } }),
    );
    const local = (dir: string) => ({ target: 'local' as const, stage: 'local', dataDir: dir });

    await expect(connect(local(notJson))).rejects.toThrow(
      new CliUsageError(
        `${join(notJson, 'endpoints.json')}: not JSON; it is written by \`sertakan local up\` (remove it if no local up is running)`,
      ),
    );
    const error = await openTarget(local(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliUsageError);
    expect(String(error)).toContain(join(missing, 'endpoints.json'));
    expect(String(error)).toContain('endpoints.sqs (invalid_type)');
    expect(String(error)).toContain('names (invalid_type)');
  });

  it('on AWS a query needs only the table names, a pipeline command all of them', async () => {
    const aws = { target: 'aws' as const, stage: 'prod', dataDir: '.unused' };
    for (const name of [
      'LEDGER_TABLE_NAME',
      'REGISTRY_TABLE_NAME',
      'INTAKE_BUCKET_NAME',
      'REPORTS_BUCKET_NAME',
      'DEDUCTIONS_QUEUE_URL',
      'ALLOCATION_JOBS_QUEUE_URL',
      'SCAN_JOBS_QUEUE_URL',
    ])
      vi.stubEnv(name, '');

    await expect(connect(aws)).rejects.toThrow(
      new CliUsageError(
        '--target aws: set LEDGER_TABLE_NAME from the outputs of the stacks Sertakan-prod-* (see shared/cli/target.ts)',
      ),
    );
    vi.stubEnv('LEDGER_TABLE_NAME', 'Sertakan-prod-Ledger');
    vi.stubEnv('REGISTRY_TABLE_NAME', 'Sertakan-prod-Registry');
    const connection = await connect(aws);
    await expect(openTarget(aws)).rejects.toThrow(/set INTAKE_BUCKET_NAME from the outputs/);

    expect(connection.via).toBe('AWS stack Sertakan-prod');
    await connection.close();
  });
});
