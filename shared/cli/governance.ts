import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Actor } from '#domain/access.ts';
import type { AllocationJob } from '#domain/messages.ts';
import type { AuditAction } from '#domain/ports/audit-trail.ts';
import type { Clock } from '#domain/ports/clock.ts';
import { defaultRateTable } from '#domain/rates.ts';
import { tables } from '#infra/resources.ts';
import { DynamoDbAllocationLog } from '#shared/adapters/dynamodb-allocation-log.ts';
import { DynamoDbAuditTrail } from '#shared/adapters/dynamodb-audit-trail.ts';
import { DynamoDbChangeRequests } from '#shared/adapters/dynamodb-change-requests.ts';
import { DynamoDbCoverageStore } from '#shared/adapters/dynamodb-coverage-store.ts';
import { ObjectStorePlanStore } from '#shared/adapters/object-store-plan-store.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsJobQueue } from '#shared/adapters/sqs-job-queue.ts';
import { poolAndAreaAccess } from '#shared/finance-api/wiring.ts';
import { makeAbortAllocation } from '#shared/use-cases/allocation/abort-allocation.ts';
import { applyPoolSettings, type ChangeExecutor, makeFourEyes } from '#shared/use-cases/four-eyes.ts';
import { operatorId } from './identity.ts';
import { type Target, type TargetOptions, targetClock } from './target.ts';

/**
 * The CLI's side of who did what (docs/access.md): the audit trail and the four-eyes requests on the
 * target's tables, with the executors the CLI can run (it holds the queues and the plans, so it carries
 * out aborts and re-runs as well as pool settings). One request id per command. Time comes from the
 * target's clock (a local cloud's recorded clock, or real time), as every other CLI command reads it.
 */
export function governance(target: Target, operator: Actor, opts: TargetOptions) {
  const { ddb, s3, sqs } = target.clients;
  const clock: Clock = targetClock(opts);
  const trail = new DynamoDbAuditTrail({
    ddb,
    tableName: target.names.tables.audit,
    clock,
    retentionDays: tables.audit.retention.days,
  });
  const requestId = `cli:${randomUUID()}`;
  const log = new DynamoDbAllocationLog({ ddb, tableName: target.names.tables.ledger });
  const { pools } = poolAndAreaAccess({
    ddb,
    ledgerTable: target.names.tables.ledger,
    registryTable: target.names.tables.registry,
    clock,
  });
  // The abort use case itself is unchanged: the approval wraps it.
  const abortRun: ChangeExecutor = async (r, approver) => {
    const abort = makeAbortAllocation({
      log,
      jobs: new SqsJobQueue(sqs, target.names.queues.allocationJobs),
      plans: new ObjectStorePlanStore(new S3ObjectStore({ s3 }), target.names.buckets.reports),
      coverage: new DynamoDbCoverageStore({ ddb, tableName: target.names.tables.registry }),
      rates: defaultRateTable,
      clock,
    });
    const out = await abort({
      pool: r.pool,
      month: r.month ?? '',
      reason: `${r.reason} (change ${r.id}, requested by ${operatorId(r.requestedBy)})`,
      by: operatorId(approver),
      rerun: r.rerun ?? true,
    });
    return `run ${out.aborted.runId} aborted; ${out.rerunCause === undefined ? 'no re-run' : `re-run requested (${out.rerunCause})`}`;
  };
  const rerunMonth: ChangeExecutor = async (r) => {
    const job: AllocationJob = {
      kind: 'ALLOCATE',
      pool: r.pool,
      month: r.month ?? '',
      cause: `operator:change-${r.id}`,
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: target.names.queues.allocationJobs,
        MessageBody: JSON.stringify(job),
      }),
    );
    return `re-run of ${r.pool} ${r.month} requested`;
  };
  const fourEyes = makeFourEyes({
    requests: new DynamoDbChangeRequests({ ddb, tableName: target.names.tables.registry }),
    trail,
    clock,
    execute: { ABORT_RUN: abortRun, RERUN_MONTH: rerunMonth, POOL_SETTINGS: applyPoolSettings(pools) },
  });
  return {
    trail,
    log,
    pools,
    fourEyes,
    origin: { actor: operator, via: 'cli' as const, requestId },
    record: (action: Omit<AuditAction, 'actor' | 'via' | 'requestId'>) =>
      trail.record({ ...action, actor: operator, via: 'cli', requestId }),
  };
}
