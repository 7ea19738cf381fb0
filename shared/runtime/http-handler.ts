import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import {
  AccessDeniedError,
  ConflictError,
  DomainError,
  NotFoundError,
  TransientError,
  ValidationError,
} from '#domain/errors.ts';
import { pipelineMetrics } from '#shared/runtime/pipeline-metrics.ts';
import { logger, metrics, observability } from './powertools.ts';

/**
 * Every HTTP API function's Lambda shape (finance-api, console-api): the API Gateway v2 event read into
 * one plain request, the function's `serve` called, its answer rendered, and any error it throws mapped
 * to a status by the one table below, with the observability middlewares around it (middy + Powertools,
 * as the SQS functions' sqsBatchHandler). Error bodies are JSON `{code, message}`; a 5xx never carries
 * the error itself (it may echo an item key holding a NIK): it is logged once here, by name and code.
 */

/** One request as routes see it: the body decoded from base64 when API Gateway encoded it. */
export type HttpRequest = {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string | undefined;
  /** API Gateway's request id (a fresh one when the event has none: tests, the local server). */
  readonly requestId: string;
  /** The IAM caller's ARN on an IAM-authorised route (the finance API), as API Gateway verified it. */
  readonly callerArn?: string;
};

/** What a route answers: a JSON body, or a file to download (CSV). */
export type HttpAnswer =
  | { readonly kind: 'json'; readonly status?: number; readonly body: unknown }
  | {
      readonly kind: 'file';
      /** Text (CSV) as is; bytes (XLSX) go base64-encoded, as API Gateway expects binary bodies. */
      readonly body: string | Uint8Array;
      readonly filename: string;
      readonly contentType: string;
      /** Extra headers, e.g. the next page's token of a paged CSV. */
      readonly headers?: Readonly<Record<string, string>>;
    };

/** The API Gateway v2 structured result. */
export type HttpReply = {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded?: boolean;
};

/** Reads the event API Gateway (HTTP API, payload v2) hands a function. */
export function requestOf(event: APIGatewayProxyEventV2): HttpRequest {
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const body =
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  const ctx = event.requestContext as
    | (typeof event.requestContext & { authorizer?: { iam?: { userArn?: string } } })
    | undefined;
  const callerArn = ctx?.authorizer?.iam?.userArn;
  return {
    method: ctx?.http?.method ?? 'GET',
    path: event.rawPath ?? '/',
    query: event.queryStringParameters ?? {},
    headers,
    body,
    requestId: ctx?.requestId ?? randomUUID(),
    ...(callerArn === undefined ? {} : { callerArn }),
  };
}

/** Answers are about money and people: never stored by a browser or a proxy. */
export const jsonReply = (statusCode: number, body: unknown): HttpReply => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

export function replyOf(answer: HttpAnswer): HttpReply {
  if (answer.kind === 'json') return jsonReply(answer.status ?? 200, answer.body);
  return {
    statusCode: 200,
    headers: {
      'content-type': answer.contentType,
      'content-disposition': `attachment; filename="${answer.filename}"`,
      'cache-control': 'no-store',
      ...answer.headers,
    },
    ...(typeof answer.body === 'string'
      ? { body: answer.body }
      : { body: Buffer.from(answer.body).toString('base64'), isBase64Encoded: true }),
  };
}

/**
 * Validation codes whose status is not 400: too large a page (413), a month or date after today in
 * Jakarta (422, well-formed but not answerable yet).
 */
const STATUS_BY_VALIDATION_CODE: Readonly<Record<string, number>> = {
  PAGE_TOO_LARGE: 413,
  MONTH_IN_FUTURE: 422,
  DATE_IN_FUTURE: 422,
};

/** The one 403 body: never which check failed, nor whether what was asked for exists. */
export const ACCESS_DENIED_BODY = {
  code: 'FORBIDDEN',
  message: 'Anda tidak berwenang membuka data ini. / You are not allowed to open this.',
} as const;

/** Fields safe to log: the error's class name and our own code, never its message. */
export type HttpErrorLog = (fields: Readonly<Record<string, string | undefined>>) => void;

export type ErrorReplyOptions = {
  /** A fixed 404 message instead of the error's own (the console: never say which pool holds what). */
  readonly notFoundMessage?: string;
  readonly log?: HttpErrorLog;
};

const logOnce: HttpErrorLog = (fields) => logger.error('http request failed', fields);

/**
 * The one mapping from a thrown error to an HTTP reply: AccessDeniedError 403 (constant body), NotFoundError 404, ConflictError 409,
 * ValidationError 400 (413/422 by code, above), TransientError 503 (retry), anything else 500 with a
 * generic message. Domain errors keep their code and message (written without personal data); 5xx are
 * logged once, by name and code.
 */
export function errorReply(err: unknown, opts: ErrorReplyOptions = {}): HttpReply {
  if (err instanceof AccessDeniedError) return jsonReply(403, ACCESS_DENIED_BODY);
  if (err instanceof NotFoundError) {
    return jsonReply(404, { code: err.code, message: opts.notFoundMessage ?? err.message });
  }
  if (err instanceof ConflictError) return jsonReply(409, { code: err.code, message: err.message });
  if (err instanceof ValidationError) {
    return jsonReply(STATUS_BY_VALIDATION_CODE[err.code] ?? 400, { code: err.code, message: err.message });
  }
  (opts.log ?? logOnce)({
    error: err instanceof Error ? err.name : typeof err,
    code: err instanceof DomainError ? err.code : undefined,
  });
  if (err instanceof TransientError) {
    return jsonReply(503, {
      code: 'UNAVAILABLE',
      message: 'Layanan sedang sibuk, coba lagi sebentar. / The service is busy; please retry shortly.',
    });
  }
  return jsonReply(500, {
    code: 'INTERNAL',
    message: 'Kesalahan internal. / Internal error; it was logged.',
  });
}

/**
 * The Lambda handler of an HTTP API function: `serve` answers one request or throws, and a throw
 * becomes {@link errorReply}'s answer. Never rejects. Lambda passes a context; tests and the local
 * console server may leave it out (middy then hands the middlewares an empty one).
 */
export function httpHandler(
  serve: (req: HttpRequest) => Promise<HttpReply>,
): (event: APIGatewayProxyEventV2, context?: Context) => Promise<HttpReply> {
  const lambda = middy(async (event: APIGatewayProxyEventV2): Promise<HttpReply> => {
    let reply: HttpReply;
    try {
      reply = await serve(requestOf(event));
    } catch (err) {
      reply = errorReply(err);
    }
    // Every error becomes a reply, so Lambda's Errors metric never sees one: count 5xx here (alarmed).
    if (reply.statusCode >= 500) metrics.addMetric(pipelineMetrics.httpServerErrors, MetricUnit.Count, 1);
    return reply;
  }).use(observability());
  return (event, context) => lambda(event, context as Context);
}
