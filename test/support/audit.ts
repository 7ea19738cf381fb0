import { randomUUID } from 'node:crypto';
import type { AuditAction, AuditQuery, AuditRecord, AuditTrail } from '#domain/ports/audit-trail.ts';
import type { Clock } from '#domain/ports/clock.ts';
import { matches } from '#shared/adapters/dynamodb-audit-trail.ts';
import type { FinanceCaller } from '#shared/finance-api/callers.ts';

/** The audit trail in memory, filtered exactly as the DynamoDB one (its `matches`). */
export class InMemoryAuditTrail implements AuditTrail {
  readonly records: AuditRecord[] = [];
  constructor(private readonly clock: Clock = { now: () => new Date() }) {}
  async record(action: AuditAction): Promise<AuditRecord> {
    const rec = { ...action, id: randomUUID(), at: this.clock.now().toISOString() };
    this.records.push(rec);
    return rec;
  }
  async list(q: AuditQuery): Promise<AuditRecord[]> {
    return this.records.filter((r) => matches(r, q));
  }
}

/** A finance API caller of the whole province with the unmasked grant, and its request identity. */
export const FINANCE_CALLER: FinanceCaller = {
  arn: 'arn:aws:iam::123456789012:role/bkad-jambi-export',
  name: 'BKAD Jambi, ekspor bulanan',
  pools: ['15'],
  grants: ['unmasked'],
};
/** How API Gateway hands the caller of an IAM-authorised route to the function (assumed role). */
export const iamContext = (arn = 'arn:aws:sts::123456789012:assumed-role/bkad-jambi-export/s1') => ({
  requestId: randomUUID(),
  authorizer: { iam: { userArn: arn } },
});
/** What the finance API's handler needs besides its queries: the caller table and a trail. */
export const financeAccess = (callers: readonly FinanceCaller[] = [FINANCE_CALLER]) => ({
  callers,
  trail: new InMemoryAuditTrail(),
});
