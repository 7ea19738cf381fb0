import { z } from 'zod';
import { hasGrant } from '#domain/access.ts';
import { AccessDeniedError, ValidationError } from '#domain/errors.ts';
import type { WorkerCoverage } from '#domain/finance-answers.ts';
import { maskNik } from '#domain/masking.ts';
import { maskCoverage } from '#shared/csv/coverage-export.ts';
import type { HttpRequest } from '#shared/runtime/http-handler.ts';
import type { makeBillApproval } from '#shared/use-cases/bpjs-loop/bill-approval.ts';
import type { makeReconcileBpjs } from '#shared/use-cases/bpjs-loop/reconcile-bpjs.ts';
import { type makeRecordPayment, REFERENCE_KINDS } from '#shared/use-cases/bpjs-loop/record-payment.ts';
import {
  decodePathSegment,
  FinanceRequestError,
  monthSchema,
  nikSchema,
  parseRequest,
  poolSchema,
  privacyOf,
} from '#shared/use-cases/finance/requests.ts';
import { type CallerContext, requirePool } from './caller-context.ts';

/**
 * The finance API's routes for closing the loop with BPJS (docs/bpjs-loop.md):
 *   GET  /pools/{pool}/bills/{month}                 the bill's approval state
 *   POST /pools/{pool}/bills/{month}/approve         first finance user (the IAM caller)
 *   POST /pools/{pool}/bills/{month}/release         a second, different caller
 *   POST /pools/{pool}/payments  {months, amount, paidOn, reference, referenceKind}
 *   GET  /pools/{pool}/bpjs-reconciliation?month=    the three-way classes (NIKs masked)
 *   GET  /pools/{pool}/coverage?nik=[&unmasked=true]  a worker's months: allocated, confirmed by BPJS
 * Every route is held to the caller's pool scope (docs/access.md). A decision is recorded with the
 * caller the gateway authenticated (its IAM ARN's last segment) on the bill, and in the audit trail;
 * without one, a write is refused (CALLER_UNKNOWN). Returns undefined for any other path.
 */
export type BpjsRouteDeps = {
  readonly bills: ReturnType<typeof makeBillApproval>;
  readonly payments: ReturnType<typeof makeRecordPayment>;
  readonly reconcile: ReturnType<typeof makeReconcileBpjs>;
  /** A worker's coverage, allocated and confirmed (shared/use-cases/finance/coverage.ts). */
  readonly coverage: (q: { pool: string; nik: string }) => Promise<WorkerCoverage>;
};

const coverageQuerySchema = z.strictObject({
  nik: nikSchema,
  unmasked: z.enum(['true', 'false']).optional(),
});

const paymentBodySchema = z.strictObject({
  months: z.array(monthSchema).min(1).max(12),
  amount: z.union([z.string(), z.number().int()]).transform(String),
  paidOn: z.string(),
  reference: z.string(),
  referenceKind: z.enum(REFERENCE_KINDS).default('KODE_IURAN'),
});

/** The operator id of an IAM caller: the ARN's last path segment (user or assumed-role session name). */
export function operatorOf(caller: string | undefined): string {
  const id = caller?.split(/[/:]/).at(-1) ?? '';
  if (id === '')
    throw new ValidationError('the caller is not identified: decisions need a signed-in person', {
      code: 'CALLER_UNKNOWN',
    });
  return id.slice(0, 40);
}

export async function routeBpjsRequest(
  deps: BpjsRouteDeps,
  req: Pick<HttpRequest, 'method' | 'path' | 'query' | 'body' | 'callerArn'>,
  c: CallerContext,
): Promise<unknown> {
  const bill = /^\/pools\/([^/]+)\/bills\/([^/]+)(?:\/(approve|release))?\/?$/.exec(req.path);
  if (bill) {
    const pool = parseRequest(poolSchema, decodePathSegment(bill[1] ?? ''));
    const month = parseRequest(monthSchema, decodePathSegment(bill[2] ?? ''));
    const action = bill[3] as 'approve' | 'release' | undefined;
    requirePool(c, pool);
    if (action === undefined) {
      if (req.method !== 'GET')
        throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'GET a bill, POST its approve or release');
      return deps.bills.status(pool, month);
    }
    if (req.method !== 'POST')
      throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'approve and release are POST');
    const decided = await deps.bills[action]({ pool, month, by: operatorOf(req.callerArn) });
    await c.record({ kind: action === 'approve' ? 'BILL_APPROVED' : 'BILL_RELEASED', pool, month });
    return decided;
  }
  const payments = /^\/pools\/([^/]+)\/payments\/?$/.exec(req.path);
  if (payments) {
    if (req.method !== 'POST')
      throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'payments are recorded with POST');
    const pool = parseRequest(poolSchema, decodePathSegment(payments[1] ?? ''));
    requirePool(c, pool);
    let body: unknown;
    try {
      body = JSON.parse(req.body ?? '');
    } catch {
      throw new FinanceRequestError('BODY_INVALID', 'the body must be JSON');
    }
    const p = parseRequest(paymentBodySchema, body);
    const paid = await deps.payments({ pool, ...p, by: operatorOf(req.callerArn) });
    // The trail records a payment once, when it is first recorded (the CLI does the same).
    if (paid.status === 'RECORDED')
      await c.record({
        kind: 'PAYMENT_RECORDED',
        pool,
        ref: p.reference,
        detail: { months: p.months.join(' '), amount: paid.payment.amount },
      });
    return paid;
  }
  const recon = /^\/pools\/([^/]+)\/bpjs-reconciliation\/?$/.exec(req.path);
  if (recon) {
    if (req.method !== 'GET') throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'only GET is supported');
    const pool = parseRequest(poolSchema, decodePathSegment(recon[1] ?? ''));
    requirePool(c, pool);
    const month = parseRequest(monthSchema, req.query.month);
    const r = await deps.reconcile(pool, month);
    return {
      ...r,
      threeWay: { ...r.threeWay, lines: r.threeWay.lines.map((l) => ({ ...l, nik: maskNik(l.nik) })) },
    };
  }
  const coverage = /^\/pools\/([^/]+)\/coverage\/?$/.exec(req.path);
  if (coverage) {
    if (req.method !== 'GET') throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'only GET is supported');
    const pool = parseRequest(poolSchema, decodePathSegment(coverage[1] ?? ''));
    requirePool(c, pool);
    const q = parseRequest(coverageQuerySchema, req.query);
    const privacy = privacyOf(q.unmasked === 'true', true);
    if (privacy.unmasked) {
      if (!hasGrant(c.caller, 'unmasked')) throw new AccessDeniedError('unmasked data needs the grant');
      await c.record({ kind: 'UNMASKED_READ', pool, ref: 'coverage-by-nik' });
    }
    return maskCoverage(await deps.coverage({ pool, nik: q.nik }), privacy);
  }
  return undefined;
}
