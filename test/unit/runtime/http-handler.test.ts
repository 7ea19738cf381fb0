import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, TransientError, ValidationError } from '#domain/errors.ts';
import { errorReply, type HttpRequest, httpHandler, jsonReply } from '#shared/runtime/http-handler.ts';
import { FinanceRequestError } from '#shared/use-cases/finance/requests.ts';

const event = (over: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 =>
  ({
    rawPath: '/x',
    headers: { Accept: 'text/csv', Authorization: 'Bearer t' },
    requestContext: { http: { method: 'POST' } },
    ...over,
  }) as unknown as APIGatewayProxyEventV2;

const status = (err: unknown) => errorReply(err, { log: () => {} });

describe('the one HTTP error mapping', () => {
  it.each([
    [new FinanceRequestError('BAD_REQUEST', 'invalid request: month'), 400, 'BAD_REQUEST'],
    [new FinanceRequestError('PAGE_TOO_LARGE', 'limit'), 413, 'PAGE_TOO_LARGE'],
    [new ValidationError('future', { code: 'MONTH_IN_FUTURE' }), 422, 'MONTH_IN_FUTURE'],
    [new ValidationError('future', { code: 'DATE_IN_FUTURE' }), 422, 'DATE_IN_FUTURE'],
    [new ValidationError('token', { code: 'TOKEN_INVALID' }), 400, 'TOKEN_INVALID'],
    [new NotFoundError('pool 15.99 is not registered', { code: 'POOL_UNKNOWN' }), 404, 'POOL_UNKNOWN'],
    [new ConflictError('exists', { code: 'POOL_EXISTS' }), 409, 'POOL_EXISTS'],
    [new TransientError('throttled'), 503, 'UNAVAILABLE'],
    [new Error('table sertakan-prod-ledger: NIK 1504014107900001'), 500, 'INTERNAL'],
    ['a string', 500, 'INTERNAL'],
  ])('%s -> %i %s', (err, code, name) => {
    const reply = status(err);
    expect(reply.statusCode).toBe(code);
    expect(JSON.parse(reply.body)).toEqual({ code: name, message: expect.any(String) });
    expect(reply.body).not.toContain('1504014107900001');
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('logs 5xx once by name and code, never the message; 4xx are not logged', () => {
    const lines: unknown[] = [];
    errorReply(new Error('NIK 1504014107900001'), { log: (f) => lines.push(f) });
    errorReply(new TransientError('slow', { code: 'THROTTLED' }), { log: (f) => lines.push(f) });
    errorReply(new NotFoundError('x'), { log: (f) => lines.push(f) });
    expect(lines).toEqual([
      { error: 'Error', code: undefined },
      { error: 'TransientError', code: 'THROTTLED' },
    ]);
  });

  it('a fixed 404 message when asked (the console never says which pool holds what)', () => {
    const reply = errorReply(new NotFoundError('pool 15.99 is not registered', { code: 'POOL_UNKNOWN' }), {
      notFoundMessage: 'Data tidak ditemukan. / Not found.',
    });
    expect(JSON.parse(reply.body)).toEqual({
      code: 'POOL_UNKNOWN',
      message: 'Data tidak ditemukan. / Not found.',
    });
  });
});

describe('httpHandler', () => {
  it('hands serve one plain request: lower-case headers, the base64 body decoded', async () => {
    const seen: HttpRequest[] = [];
    const lambda = httpHandler(async (req) => {
      seen.push(req);
      return jsonReply(200, { ok: true });
    });
    const reply = await lambda(
      event({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true }),
    );
    expect(reply.statusCode).toBe(200);
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/x',
        query: {},
        headers: { accept: 'text/csv', authorization: 'Bearer t' },
        body: '{"a":1}',
        // the event has no gateway request id: a fresh one, so the audit trail can still name the request
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
  });

  it('never rejects: a throw from serve becomes the mapped reply', async () => {
    const lambda = httpHandler(async () => {
      throw new FinanceRequestError('METHOD_NOT_ALLOWED', 'only GET is supported');
    });
    const reply = await lambda(event());
    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });
});
