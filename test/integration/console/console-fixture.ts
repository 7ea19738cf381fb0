import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Alert } from '#domain/alerts.ts';
import { buildDeps, makeHandler } from '#functions/console-api/handler.ts';
import { DynamoDbAlertLog } from '#shared/adapters/dynamodb-alert-log.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { type DevIssuer, makeDevIssuer } from '#shared/local-cloud/dev-issuer.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { buildHistory, nikOf, POOL } from '../finance/history.ts';

/**
 * The console API on the local cloud for tests: the finance history of test/integration/finance
 * (pool 15.04, agencies DINKES, DISDIK, SETDA), alerts, two payroll files with rejection reports, a
 * development issuer whose JWKS is served over HTTP on 127.0.0.1, and the real Lambda handler built
 * from the env as on AWS.
 */

export const OTHER_POOL = '15.05';
export const FILE_DINKES = 'a1a1a1a1a1a1a1a1a1a1a1a1';
export const FILE_DISDIK = 'b2b2b2b2b2b2b2b2b2b2b2b2';
export const OTHER_POOL_NIK = '1505014107900001';

export type ConsoleFixture = {
  issuer: DevIssuer;
  /** The finance history written (its own record of credits, and the finance queries on it). */
  history: Awaited<ReturnType<typeof buildHistory>>;
  call(req: {
    method?: string;
    path: string;
    query?: Record<string, string>;
    token?: string;
    body?: unknown;
  }): Promise<{
    status: number;
    body: string;
    headers: Record<string, string>;
  }>;
  close(): Promise<void>;
};

const atRisk = (pool: string, nik: string, days: number): Alert => ({
  id: `AT_RISK#${pool}#${nik}#2026-05`,
  kind: 'AT_RISK',
  pool,
  month: '2026-05',
  subject: nik,
  subjectType: 'WORKER',
  severity: days <= 5 ? 'CRITICAL' : 'WARNING',
  daysUntilDue: days,
  details: { tier: 'JKK_JKM' },
});

const REPORT =
  '\uFEFFbaris;kolom;nilai;kode;keterangan;description\r\n' +
  '7;NIP;19860926*********1;NIP_INVALID;NIP harus 18 angka;NIP must be 18 digits\r\n';

export async function startConsoleFixture(cloud: LocalCloud): Promise<ConsoleFixture> {
  const history = await buildHistory(cloud);
  const { ddb, s3 } = cloud.clients;
  const alerts = new DynamoDbAlertLog({ ddb, tableName: cloud.names.tables.ledger });
  await alerts.record(
    [atRisk(POOL, nikOf(1), 3), atRisk(POOL, nikOf(2), 9), atRisk(OTHER_POOL, OTHER_POOL_NIK, 2)],
    '2026-05-12',
  );
  const registry = new DynamoDbFileRegistry({ ddb, tableName: cloud.names.tables.registry });
  for (const [fileId, agency] of [
    [FILE_DINKES, 'DINKES'],
    [FILE_DISDIK, 'DISDIK'],
  ] as const) {
    const reportKey = `reports/rejections/${POOL}/2026-03/${agency}-${fileId}.csv`;
    await s3.send(
      new PutObjectCommand({ Bucket: cloud.names.buckets.reports, Key: reportKey, Body: REPORT }),
    );
    await registry.putFile({
      fileId,
      kind: 'PAYROLL',
      key: `incoming/payroll/${POOL}/2026-03/${agency}.csv`,
      pool: POOL,
      period: '2026-03',
      agency,
      contentHash: 'x',
      status: 'PARTIALLY_REJECTED',
      dataRows: 11,
      acceptedRows: 10,
      acceptedAmount: 250_000,
      rejectedRows: 1,
      rejectedAmount: 20_000,
      reportKey,
      receivedAt: '2026-03-02T01:00:00.000Z',
      processedAt: '2026-03-02T01:00:05.000Z',
    });
  }

  let jwksBody = '';
  const jwks: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwksBody);
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  const issuer = await makeDevIssuer(`${base}/dev`);
  jwksBody = JSON.stringify(issuer.jwks);
  const handler = makeHandler(
    buildDeps(
      {
        ...cloud.env,
        CONSOLE_JWKS_URL: `${base}/dev/.well-known/jwks.json`,
        CONSOLE_TOKEN_ISSUER: issuer.issuer,
        CONSOLE_TOKEN_AUDIENCE: issuer.audience,
      },
      cloud.clients,
    ),
  );
  return {
    issuer,
    history,
    call: async ({ method = 'GET', path, query, token, body }) => {
      const event = {
        rawPath: path,
        queryStringParameters: query,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        requestContext: { http: { method } },
        body: body === undefined ? undefined : JSON.stringify(body),
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2;
      const out = (await handler(event)) as APIGatewayProxyStructuredResultV2;
      return {
        status: out.statusCode ?? 0,
        body: String(out.body ?? ''),
        headers: (out.headers ?? {}) as Record<string, string>,
      };
    },
    close: () => new Promise<void>((resolve) => jwks.close(() => resolve())),
  };
}
