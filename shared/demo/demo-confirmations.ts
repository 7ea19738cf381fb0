import type { Clock } from '#domain/ports/clock.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { S3ObjectStore } from '#shared/adapters/s3-object-store.ts';
import { SqsIntakeRequeue } from '#shared/adapters/sqs-intake-requeue.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { makeDecidePending } from '#shared/use-cases/intake/decide-pending.ts';
import { fileIdOf, sha256Hex } from '#shared/use-cases/intake/intake-key.ts';
import type { FileDrop } from './types.ts';

/**
 * The demo's treasurers read their outcome and confirm the corrections they sent on purpose
 * (docs/intake.md#pending-confirmation): a payroll file of the day held PENDING_CONFIRMATION is
 * confirmed by `bendahara <agency> (demo)` on the simulated clock, then the intake applies it.
 * Returns how many were confirmed.
 */
export async function confirmDemoCorrections(
  cloud: LocalCloud,
  clock: Clock,
  drops: readonly FileDrop[],
): Promise<number> {
  const files = new DynamoDbFileRegistry({ ddb: cloud.clients.ddb, tableName: cloud.names.tables.registry });
  const decide = makeDecidePending({
    files,
    objects: new S3ObjectStore({ s3: cloud.clients.s3 }),
    intakeBucket: cloud.names.buckets.intake,
    clock,
    requeue: new SqsIntakeRequeue({
      sqs: cloud.clients.sqs,
      queueUrl: cloud.names.queues.payrollFiles.url,
      bucket: cloud.names.buckets.intake,
    }),
  });
  let confirmed = 0;
  for (const d of drops) {
    if (d.kind !== 'payroll') continue;
    const file = await files.getFile(fileIdOf(d.key, sha256Hex(d.body)));
    if (file?.status !== 'PENDING_CONFIRMATION' || file.decision !== undefined) continue;
    await decide({ fileId: file.fileId, action: 'CONFIRM', by: `bendahara ${file.agency ?? ''} (demo)` });
    confirmed += 1;
  }
  return confirmed;
}
