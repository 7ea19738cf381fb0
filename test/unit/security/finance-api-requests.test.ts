/**
 * The finance API refuses what a hostile or broken caller sends: other methods, oversized or
 * malformed paths and parameters, bad encodings, parameter floods. Always a 4xx JSON error, never a
 * 500, never the caller's input echoed back (no reflection of oversized or personal data), never a
 * stack trace. IAM authorisation itself is in the template (test/infra/wiring.test.ts asserts
 * AWS_IAM on the API's only route); these are the checks behind it.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '#functions/finance-api/handler.ts';
import { makeFinanceQueries } from '#shared/use-cases/finance/index.ts';
import { financeAccess, iamContext } from '#test/support/audit.ts';
import { fakeFinance } from '#test/unit/finance/fakes.ts';

const request = (
  path: string,
  query: Record<string, string> | undefined,
  method = 'GET',
  body?: string,
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers: { accept: 'application/json' },
    queryStringParameters: query,
    requestContext: { http: { method, path }, ...iamContext() },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const handle = makeHandler({ queries: makeFinanceQueries(fakeFinance().deps), ...financeAccess() });
const BIG = '9'.repeat(100_000);

describe('finance API refuses hostile requests', () => {
  it.each([
    ['POST with a body', request('/pools/15.04/bill', { month: '2026-02' }, 'POST', BIG)],
    ['DELETE', request('/pools/15.04/allocations', { month: '2026-02' }, 'DELETE')],
    ['a 100 kB month', request('/pools/15.04/bill', { month: BIG })],
    ['a 100 kB NIK filter', request('/pools/15.04/allocations', { month: '2026-02', nik: BIG })],
    ['a 100 kB pool', request(`/pools/${BIG}/bill`, { month: '2026-02' })],
    ['a 100 kB NIP', request(`/donors/${BIG}/statement`, undefined)],
    ['a 100 kB path', request(`/${'a/'.repeat(50_000)}`, undefined)],
    [
      'a page size of a billion',
      request('/pools/15.04/allocations', { month: '2026-02', limit: '1000000000' }),
    ],
    ['broken percent-encoding', request('/pools/15%2/bill', { month: '2026-02' })],
    ['path traversal', request('/pools/../donors/198609262015051001/statement', undefined)],
    ['an encoded slash in the pool', request('/pools/15.04%2F..%2Fx/bill', { month: '2026-02' })],
    ['a NUL in the pool', request('/pools/15.04%00/bill', { month: '2026-02' })],
    [
      'an injected token',
      request('/pools/15.04/allocations', { month: '2026-02', next: `{"$ne":null}${BIG}` }),
    ],
  ])('%s: a short 4xx JSON error, nothing echoed', async (_, event) => {
    // act
    const res = await handle(event);
    // assess
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const text = String(res.body);
    expect(JSON.parse(text)).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(text.length).toBeLessThan(1_000);
    expect(text).not.toContain(BIG.slice(0, 40));
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a flood of unknown parameters: 400, and none of their values echoed', async () => {
    // prepare
    const flood = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`p${i}`, BIG.slice(0, 50)]));
    // act
    const res = await handle(request('/pools/15.04/bill', flood));
    // assess
    expect(res.statusCode).toBe(400);
    expect(String(res.body)).not.toContain(BIG.slice(0, 40));
    // Known: the message lists every unknown parameter *name* (see the report); API Gateway caps the
    // query string, so this bounds the reflection there, not here.
  });

  it('answers any path and parameters with a status, never a 500 or a throw', async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        'pools',
        'donors',
        '15.04',
        'allocations',
        'bill',
        'balance',
        'statement',
        '..',
        '%',
        '%00',
        '',
      ),
      fc.string({ maxLength: 30 }),
    );
    const params = fc.dictionary(
      fc.constantFrom('month', 'limit', 'next', 'nik', 'agency', 'run', 'asOf', 'unmasked', 'x'),
      fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('2026-02', '-1', '1e9', 'true', '')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { maxLength: 5 }),
        params,
        fc.constantFrom('GET', 'PUT'),
        async (parts, query, method) => {
          const res = await handle(request(`/${parts.join('/')}`, query, method));
          expect(res.statusCode).not.toBe(500);
          expect([200, 400, 404, 413, 422]).toContain(res.statusCode);
        },
      ),
      { numRuns: 300 },
    );
  });
});
