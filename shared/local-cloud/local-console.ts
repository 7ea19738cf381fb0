import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { Clock } from '#domain/ports/clock.ts';
import { buildDeps, makeHandler } from '#functions/console-api/handler.ts';
import { ROLES } from '#shared/console/principal.ts';
import { consoleSecurityHeaders } from '#shared/console/security-headers.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { makeDevIssuer } from './dev-issuer.ts';
import { LocalUserDirectory } from './local-users.ts';

/**
 * The console on 127.0.0.1 (docs/console.md, "Local"): one HTTP server for the built static console,
 * the console API (the Lambda handler itself, fed API Gateway v2 events) and the development sign-in
 * (`POST /dev/sign-in` issues an RS256 ID token for a chosen role and scope; `/dev/.well-known/jwks.json`
 * is the key the API verifies it with, exactly as it verifies Cognito's). Uploads go straight from the
 * browser to the S3 emulator through presigned PUTs, so the intake bucket gets a CORS rule for this
 * origin (on AWS, the console's CloudFront origin).
 */

export type LocalConsole = { readonly url: string; close(): Promise<void> };

export type LocalConsoleOptions = {
  readonly cloud: LocalCloud;
  /** The clock the console's queries use (the demo's simulated clock after `npm start -- --serve`). */
  readonly clock: Clock;
  /** The built console (index.html and assets). */
  readonly webDir: string;
  readonly port?: number;
};

/**
 * A registered local user by e-mail (`sertakan user add`: the scope an administrator wrote), or, for
 * development only, a role and scope picked on the sign-in page (the local cloud's owner is its
 * administrator; nothing of this is deployed).
 */
const signInSchema = z.union([
  z.strictObject({ email: z.email() }),
  z.strictObject({
    role: z.enum(ROLES),
    pools: z.array(z.string()).min(1).max(20),
    agency: z.string().optional(),
  }),
]);

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** Bytes a request body may have: API Gateway's own limit is 10 MB; nothing the console sends is near 1 MB. */
export const MAX_BODY_BYTES = 1_000_000;

/** A request the server refuses before it reaches a route: its status and a bilingual message. */
class BadRequestError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () =>
    new BadRequestError(
      413,
      'BODY_TOO_LARGE',
      `Isi permintaan lebih dari ${MAX_BODY_BYTES} byte. / The request body is over ${MAX_BODY_BYTES} bytes.`,
    );
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw new BadRequestError(
      400,
      'INVALID_JSON',
      'Isi permintaan bukan JSON yang sah. / The request body is not valid JSON.',
    );
  }
};

export async function startLocalConsole(opts: LocalConsoleOptions): Promise<LocalConsole> {
  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    (handle ?? (async () => res.writeHead(503).end()))(req, res).catch((err: unknown) => {
      if (err instanceof BadRequestError) {
        // The unread rest of a refused body must not be taken for the next request on this
        // keep-alive connection: answer, then close it.
        if (!res.headersSent)
          res.writeHead(err.status, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ code: err.code, message: err.message }), () => req.destroy());
        return;
      }
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = await makeDevIssuer(`${url}/dev`, () => new Date());
  const api = makeHandler(
    buildDeps(
      {
        ...opts.cloud.env,
        CONSOLE_JWKS_URL: `${url}/dev/.well-known/jwks.json`,
        CONSOLE_TOKEN_ISSUER: issuer.issuer,
        CONSOLE_TOKEN_AUDIENCE: issuer.audience,
      },
      opts.cloud.clients,
      opts.clock,
    ),
  );
  await opts.cloud.clients.s3.send(
    new PutBucketCorsCommand({
      Bucket: opts.cloud.names.buckets.intake,
      CORSConfiguration: {
        CORSRules: [
          { AllowedOrigins: [url], AllowedMethods: ['PUT'], AllowedHeaders: ['*'], MaxAgeSeconds: 600 },
        ],
      },
    }),
  );
  const headers = consoleSecurityHeaders({ connectTo: [opts.cloud.endpoints.s3] });
  const users = new LocalUserDirectory({
    ddb: opts.cloud.clients.ddb,
    tableName: opts.cloud.names.tables.registry,
  });
  const config = JSON.stringify({ mode: 'dev', apiBase: '' });

  handle = async (req, res) => {
    const target = new URL(req.url ?? '/', url);
    const path = target.pathname;
    if (path === '/dev/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
      return;
    }
    if (path === '/dev/sign-in' && req.method === 'POST') {
      const parsed = signInSchema.safeParse(parseJson(await readBody(req)));
      if (!parsed.success) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"BAD_REQUEST"}');
        return;
      }
      let token: string;
      if ('email' in parsed.data) {
        const user = await users.get(parsed.data.email);
        if (user === undefined) {
          res.writeHead(403, { 'content-type': 'application/json' }).end('{"code":"USER_UNKNOWN"}');
          return;
        }
        token = await issuer.sign(user);
      } else {
        const { agency, ...who } = parsed.data;
        token = await issuer.sign(agency === undefined || agency === '' ? who : { ...who, agency });
      }
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ token }));
      return;
    }
    if (path.startsWith('/api/')) {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      const event = {
        rawPath: path,
        queryStringParameters: Object.fromEntries(target.searchParams),
        headers: { authorization: req.headers.authorization },
        requestContext: { http: { method: req.method ?? 'GET' } },
        body,
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2;
      const out = (await api(event)) as APIGatewayProxyStructuredResultV2;
      res
        .writeHead(out.statusCode ?? 500, { ...headers, ...(out.headers as Record<string, string>) })
        .end(out.isBase64Encoded === true ? Buffer.from(out.body ?? '', 'base64') : (out.body ?? ''));
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(config);
      return;
    }
    // Static files; any other path is a page of the single-page console (index.html).
    const file = normalize(join(opts.webDir, path)).startsWith(normalize(opts.webDir))
      ? join(opts.webDir, path)
      : '';
    const found =
      file !== '' && (await stat(file).catch(() => undefined))?.isFile()
        ? file
        : join(opts.webDir, 'index.html');
    res
      .writeHead(200, { ...headers, 'content-type': TYPES[extname(found)] ?? 'application/octet-stream' })
      .end(await readFile(found));
  };

  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
