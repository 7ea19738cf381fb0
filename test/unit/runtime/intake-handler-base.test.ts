import { describe, expect, it } from 'vitest';
import type { Clock } from '#domain/ports/clock.ts';
import { buildDeps as applyConfirmations } from '#functions/apply-bpjs-confirmations/handler.ts';
import { buildDeps as creditGrants } from '#functions/credit-grants/handler.ts';
import { buildDeps as registerWorkers } from '#functions/register-workers/handler.ts';
import { buildDeps as splitPayrollFile } from '#functions/split-payroll-file/handler.ts';
import type { AwsClients } from '#shared/runtime/aws-clients.ts';
import { EnvConfigError } from '#shared/runtime/env.ts';
import { intakeHandlerBase } from '#shared/runtime/intake-handler-base.ts';

const env = {
  REGISTRY_TABLE_NAME: 'registry',
  LEDGER_TABLE_NAME: 'ledger',
  INTAKE_BUCKET_NAME: 'intake',
  REPORTS_BUCKET_NAME: 'reports',
  INTAKE_OUTCOMES_TOPIC_ARN: 'arn:aws:sns:ap-southeast-3:000000000000:outcomes',
  DEDUCTIONS_QUEUE_URL: 'http://127.0.0.1:9/deductions',
};
const clients = { ddb: {}, s3: {}, sns: {}, sqs: {} } as unknown as AwsClients;
const clock: Clock = { now: () => new Date('2026-02-10T00:00:00Z') };

describe('intake handler base', () => {
  it('reads the function env once and builds the ports every intake use case takes', () => {
    const { cfg, base } = intakeHandlerBase('creditGrants', env, clients, clock);

    expect(cfg.tables).toEqual({ registry: 'registry', ledger: 'ledger' });
    expect(base.reportsBucket).toBe('reports');
    expect(base.clock).toBe(clock);
    expect(Object.keys(base).sort()).toEqual(['clock', 'files', 'objects', 'outcomes', 'reportsBucket']);
  });

  it('fails fast naming a missing variable of the function', () => {
    const { INTAKE_OUTCOMES_TOPIC_ARN: _, ...without } = env;

    expect(() => intakeHandlerBase('registerWorkers', without, clients, clock)).toThrow(EnvConfigError);
    expect(() => intakeHandlerBase('registerWorkers', without, clients, clock)).toThrow(
      /INTAKE_OUTCOMES_TOPIC_ARN is missing/,
    );
  });

  it.each([
    ['apply-bpjs-confirmations', applyConfirmations, ['confirmations', 'workers']],
    ['credit-grants', creditGrants, ['ledger', 'pools']],
    ['register-workers', registerWorkers, ['pools', 'workers']],
    ['split-payroll-file', splitPayrollFile, ['agencies', 'columnMappings', 'queue']],
  ] as const)('%s adds only its own ports to the shared base', (_, buildDeps, own) => {
    const deps = buildDeps(env, clients, clock) as object;
    const shared = ['clock', 'files', 'objects', 'outcomes', 'reportsBucket'];

    expect(Object.keys(deps).sort()).toEqual([...shared, ...own].sort());
    expect((deps as { clock: unknown }).clock).toBe(clock);
  });
});
