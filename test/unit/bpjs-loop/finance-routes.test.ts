import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '#domain/ports/allocation/run-record.ts';
import { routeBpjsRequest } from '#shared/finance-api/bpjs-routes.ts';
import { requestOf } from '#shared/runtime/http-handler.ts';
import { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import { makeReconcileBpjs } from '#shared/use-cases/bpjs-loop/reconcile-bpjs.ts';
import { makeRecordPayment } from '#shared/use-cases/bpjs-loop/record-payment.ts';
import { InMemoryAllocationLog } from '#test/support/in-memory-allocation.ts';
import { InMemoryBillBook, InMemoryConfirmationStore } from '#test/support/in-memory-bpjs-loop.ts';
import { fundedRun } from '#test/support/run-records.ts';

async function routes() {
  const log = new InMemoryAllocationLog();
  const run: RunRecord = { ...fundedRun('2026-03', 10), outputsAt: '2026-03-10T01:00:00.000Z' };
  await log.createRun(run);
  const deps = {
    log,
    book: new InMemoryBillBook(),
    confirmations: new InMemoryConfirmationStore(),
    clock: { now: () => new Date('2026-03-12T03:00:00.000Z') },
  };
  const bpjs = {
    bills: makeBillApproval(deps),
    payments: makeRecordPayment(deps),
    reconcile: makeReconcileBpjs(deps),
    coverage: async () => {
      throw new Error('not in this test (coverage.test.ts)');
    },
  };
  const recorded: string[] = [];
  // A finance caller scoped to Jambi (15): the routes hold every pool to this scope.
  const c = (pools: readonly string[]) => ({
    caller: { id: 'finance-caller', role: 'finance' as const, pools },
    record: async (a: { kind: string; pool?: string }) => recorded.push(`${a.kind} ${a.pool}`),
  });
  const call = (
    method: string,
    path: string,
    caller?: string,
    body?: unknown,
    pools: readonly string[] = ['15'],
  ) =>
    routeBpjsRequest(
      bpjs,
      {
        method,
        path,
        query: { month: '2026-03' },
        body: body === undefined ? undefined : JSON.stringify(body),
        ...(caller === undefined ? {} : { callerArn: caller }),
      },
      c(pools),
    );
  return Object.assign(call, { recorded });
}

const ARN = (name: string) => `arn:aws:sts::123456789012:assumed-role/sertakan-finance/${name}`;

describe('finance API: bills, payments, three-way', () => {
  it('approve and release by two IAM callers, payment recorded, the three-way read back; the same caller refused', async () => {
    const call = await routes();
    expect(await call('GET', '/pools/15.04/bills/2026-03')).toMatchObject({ state: 'PREPARED' });
    await expect(call('POST', '/pools/15.04/bills/2026-03/approve')).rejects.toMatchObject({
      code: 'CALLER_UNKNOWN',
    });
    expect(await call('POST', '/pools/15.04/bills/2026-03/approve', ARN('ani'))).toMatchObject({
      state: 'APPROVED',
      record: { approved: { by: 'ani' } },
    });
    await expect(call('POST', '/pools/15.04/bills/2026-03/release', ARN('ani'))).rejects.toMatchObject({
      code: 'SAME_USER_SECOND_APPROVAL',
    });
    expect(await call('POST', '/pools/15.04/bills/2026-03/release', ARN('budi'))).toMatchObject({
      state: 'RELEASED',
    });
    const body = { months: ['2026-03'], amount: 168000, paidOn: '2026-03-12', reference: 'VA-8800123' };
    expect(await call('POST', '/pools/15.04/payments', ARN('citra'), body)).toMatchObject({
      status: 'RECORDED',
      payment: { referenceKind: 'KODE_IURAN', recordedBy: 'citra' },
    });
    // The same payment sent again is DUPLICATE and is not recorded twice in the trail.
    expect(await call('POST', '/pools/15.04/payments', ARN('citra'), body)).toMatchObject({
      status: 'DUPLICATE',
    });
    // (The fake log holds the run, not its entries: the lines themselves are the e2e test's.)
    expect(await call('GET', '/pools/15.04/bpjs-reconciliation', ARN('citra'))).toMatchObject({
      bill: { state: 'RELEASED', total: 168_000 },
      payments: [{ reference: 'VA-8800123' }],
      threeWay: { answered: false, paid: true },
    });
    expect(await call('GET', '/pools/15.04/allocations')).toBeUndefined();
    // every decision is in the audit trail, and a caller scoped elsewhere gets the constant 403
    expect(call.recorded).toEqual(['BILL_APPROVED 15.04', 'BILL_RELEASED 15.04', 'PAYMENT_RECORDED 15.04']);
    for (const path of ['/pools/15.04/bills/2026-03', '/pools/15.04/bpjs-reconciliation'])
      await expect(call('GET', path, ARN('dewi'), undefined, ['15.05'])).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    await expect(call('GET', '/pools/15.04/bills/2026-03/approve', ARN('x'))).rejects.toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
    });
  });

  it('the gateway’s IAM caller reaches the request; none when the event has no authorizer', () => {
    const event = {
      rawPath: '/pools/15.04/bills/2026-03/approve',
      requestContext: { http: { method: 'POST' }, authorizer: { iam: { userArn: ARN('ani') } } },
    } as unknown as APIGatewayProxyEventV2;
    expect(requestOf(event).callerArn).toBe(ARN('ani'));
    const bare = {
      rawPath: '/x',
      requestContext: { http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2;
    expect(requestOf(bare).callerArn).toBeUndefined();
  });
});
