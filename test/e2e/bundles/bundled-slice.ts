import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { makeNik, makeNip } from '#domain/identifiers.ts';
import { DynamoDbColumnMappings } from '#shared/adapters/dynamodb-column-mappings.ts';
import type { BundledFunctions } from '#shared/local-cloud/bundle-functions.ts';
import { listKeys } from '#shared/local-cloud/list-keys.ts';
import type { LocalCloud } from '#shared/local-cloud/local-cloud.ts';
import { fileIdOf } from '#shared/use-cases/intake/intake-key.ts';
import { writeSimgajiDbf } from '#test/support/dbf-fixtures.ts';

/**
 * The thin slice driven from outside, as AWS would drive it: files into S3 (the notifications reach
 * the functions through their queues), the monthly allocation job and the daily scan job as the
 * schedules send them, and one finance API request as API Gateway passes it. Past months only: the
 * bundles run on the system clock, as on Lambda.
 */
export const POOL = '15.04';
export const MONTH = '2026-01';
export const SCAN_DATE = '2026-02-16';

export const niks = [1, 2, 3].map((seq) =>
  makeNik({ regency: '15.04', district: '01', birth: '1990-05-17', female: seq % 2 === 0, seq }),
);
const nips = [1, 2, 3].map((seq) => makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq }));

const workersCsv = [
  'nik;nama;kpj;paket;pekerjaan;tanggal_daftar',
  `${niks[0]};Siti Aminah;;JKK_JKM;buruh tani;2025-12-01`,
  `${niks[1]};Budi Santoso;12345678901;JKK_JKM_JHT;tukang bangunan;2025-12-02`,
  `${niks[2]};Rahmat;;JKK_JKM;guru ngaji;2025-12-03`,
].join('\n');

const payrollCsv = [
  'nip;nama;periode;jumlah',
  `${nips[0]};Dr. A;${MONTH};Rp 50.000,00`,
  `${nips[1]};B;${MONTH};25.000`,
  `${nips[2]};C;${MONTH};25000`,
  `123;Bad NIP;${MONTH};10000`,
].join('\n');

/** The same agency and period again, one amount changed: supersedes the first file by corrections. */
const correctedPayrollCsv = payrollCsv.replace(`${nips[2]};C;${MONTH};25000`, `${nips[2]};C;${MONTH};30000`);

const grantCsv = ['referensi;sumber;periode;jumlah', `CSR-1;CSR;${MONTH};20000`].join('\n');

/** The console API's token settings in the bundle test: a local issuer nobody signs for (no token is accepted). */
export const CONSOLE_LOCAL_ENV = {
  CONSOLE_JWKS_URL: 'http://127.0.0.1:9/dev/.well-known/jwks.json',
  CONSOLE_TOKEN_ISSUER: 'http://127.0.0.1:9/dev',
  CONSOLE_TOKEN_AUDIENCE: 'sertakan-console-bundle-test',
};

/** The finance API's caller table in the bundle test: the one caller every slice request is signed by. */
export const FINANCE_LOCAL_ENV = {
  FINANCE_CALLERS: JSON.stringify([
    {
      arn: 'arn:aws:iam::000000000000:role/finance-bundle-test',
      name: 'bundle test',
      pools: ['15'],
      grants: [],
    },
    // the two finance users who approve and release the month's bill (maker and checker)
    ...['keu.ani', 'keu.budi'].map((user) => ({
      arn: `arn:aws:iam::000000000000:user/${user}`,
      name: user,
      pools: ['15'],
      grants: [],
    })),
  ]),
};

export const apiRequest = (
  path: string,
  query: Record<string, string>,
  write?: { readonly method: 'POST' | 'PATCH'; readonly body: unknown },
  caller?: string,
) => ({
  ...(write === undefined ? {} : { body: JSON.stringify(write.body) }),
  version: '2.0',
  routeKey: 'GET /{proxy+}',
  rawPath: path,
  rawQueryString: new URLSearchParams(query).toString(),
  headers: { accept: 'application/json', host: 'localhost' },
  queryStringParameters: query,
  pathParameters: { proxy: path.slice(1) },
  requestContext: {
    accountId: '000000000000',
    apiId: 'local',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: {
      method: write?.method ?? 'GET',
      path,
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'vitest',
    },
    requestId: 'local',
    // The IAM caller API Gateway verified (the finance API maps it to a scope; the console ignores it).
    authorizer: { iam: { userArn: 'arn:aws:sts::000000000000:assumed-role/finance-bundle-test/slice' } },
    routeKey: 'GET /{proxy+}',
    // The IAM caller, as the HTTP API's IAM authorizer passes it (decisions record it: bill approval).
    ...(caller === undefined
      ? {}
      : { authorizer: { iam: { userArn: `arn:aws:iam::000000000000:user/${caller}` } } }),
    stage: '$default',
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  isBase64Encoded: false,
});

export type ApiAnswer = { readonly statusCode: number; readonly body: unknown };

export type SliceOutcome = {
  readonly billCsv: string;
  readonly reportKeys: readonly string[];
  /** Finance API answers by request path and query. */
  readonly api: Readonly<Record<string, ApiAnswer>>;
  /** Status of a console API call without a token (the bundle loads, wires, and refuses). */
  readonly consoleWithoutToken: number;
};

/** One request per finance route, as a finance user would ask after the month's run. */
const financeRequests: readonly [string, Record<string, string>][] = [
  [`/pools/${POOL}/reconciliation`, { month: MONTH }],
  [`/pools/${POOL}/bill`, { month: MONTH }],
  [`/pools/${POOL}/allocations`, { month: MONTH }],
  [`/pools/${POOL}/allocations`, { month: MONTH, agency: 'DINKES' }],
  [`/pools/${POOL}/allocations`, { nik: niks[1] ?? '' }],
  [`/pools/${POOL}/balance`, {}],
  [`/donors/${nips[2]}/statement`, {}],
  // Pools and areas (docs/pools-and-areas.md).
  ['/pools', { area: POOL.slice(0, 2) }],
  [`/areas/${POOL.slice(0, 2)}/month`, { month: MONTH }],
];

export const runBundledSlice = async (
  cloud: LocalCloud,
  bundles: BundledFunctions,
): Promise<SliceOutcome> => {
  const { s3, sqs } = cloud.clients;
  const put = (key: string, body: string) =>
    s3.send(new PutObjectCommand({ Bucket: cloud.names.buckets.intake, Key: key, Body: body }));
  const read = async (key: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: cloud.names.buckets.reports, Key: key }));
    return (await out.Body?.transformToString('utf-8')) ?? '';
  };
  const send = (queue: 'allocationJobs' | 'scanJobs', body: unknown) =>
    sqs.send(
      new SendMessageCommand({ QueueUrl: cloud.names.queues[queue].url, MessageBody: JSON.stringify(body) }),
    );
  const drain = () => cloud.drain({ timeoutMs: 60_000 });

  await put(`incoming/workers/${POOL}/awal.csv`, workersCsv);
  await drain();
  await put(`incoming/payroll/${POOL}/${MONTH}/DINKES.csv`, payrollCsv);
  await put(`incoming/grants/${POOL}/csr.csv`, grantCsv);
  await drain();
  await put(`incoming/payroll/${POOL}/${MONTH}/DINKES.csv`, correctedPayrollCsv);
  await drain();
  // As the schedules send them (resources.ts): one fan-out, which sends one job per pool.
  await send('allocationJobs', { kind: 'FAN_OUT', month: MONTH });
  await drain();
  await send('scanJobs', { kind: 'FAN_OUT', date: SCAN_DATE });
  await drain();
  const api: Record<string, ApiAnswer> = {};
  for (const [path, query] of financeRequests) {
    const answer = (await bundles.invoke('financeApi', apiRequest(path, query))) as {
      statusCode: number;
      body: string;
    };
    api[`${path}?${new URLSearchParams(query)}`] = {
      statusCode: answer.statusCode,
      body: JSON.parse(answer.body),
    };
  }

  // A pool's settings changed through the API (a write of the finance function).
  const patched = (await bundles.invoke(
    'financeApi',
    apiRequest(`/pools/${POOL}`, {}, { method: 'PATCH', body: { name: 'Batanghari' } }),
  )) as { statusCode: number; body: string };
  api[`PATCH /pools/${POOL}`] = { statusCode: patched.statusCode, body: JSON.parse(patched.body) };
  // The month's bill approved and released by two finance users, then BPJS's answer (docs/bpjs-loop.md).
  for (const [action, caller] of [
    ['approve', 'keu.ani'],
    ['release', 'keu.budi'],
  ] as const) {
    const path = `/pools/${POOL}/bills/${MONTH}/${action}`;
    const answer = (await bundles.invoke(
      'financeApi',
      apiRequest(path, {}, { method: 'POST', body: {} }, caller),
    )) as { statusCode: number; body: string };
    api[`POST ${path}`] = { statusCode: answer.statusCode, body: JSON.parse(answer.body) };
  }
  await put(
    `incoming/bpjs/${POOL}/${MONTH}/konfirmasi.csv`,
    [
      'kpj;nik;bulan;program;jumlah;status;kpj_baru',
      `;${niks[0]};${MONTH};JKK_JKM;16800;DITERIMA;22222222222`,
    ].join('\n'),
  );
  await drain();
  const consoleAnswer = (await bundles.invoke('consoleApi', {
    ...apiRequest('/api/me', {}),
    routeKey: 'GET /api/{proxy+}',
  })) as { statusCode: number };

  const reportKeys = await listKeys(s3, cloud.names.buckets.reports, '');
  return {
    consoleWithoutToken: consoleAnswer.statusCode,
    billCsv: await read(`reports/bpjs-bill/${POOL}/${MONTH}.csv`),
    reportKeys,
    api,
  };
};

/** The payroll rows the XLSX and DBF files carry (NIPs of the slice's donors, other agencies). */
const readerNips = [4, 5].map((seq) =>
  makeNip({ birth: '1985-03-14', appointment: '2010-01', gender: 1, seq }),
);

export type ReaderFileOutcome = {
  /** The intake registry's record of the file (status, row counts). */
  readonly file: Record<string, unknown> | undefined;
  /** Files of split-payroll-file's asset its container had loaded before the file arrived, and after. */
  readonly loadedBefore: readonly string[];
  readonly loadedAfter: readonly string[];
};

/**
 * A payroll workbook (XLSX) and a dBase export (DBF, with the agency's saved column mapping), each
 * through split-payroll-file's bundle: their readers live in chunks the entry loads only then. Run
 * after the slice (other agencies of the same pool and month; the slice's figures are read before).
 */
export const runReaderFiles = async (
  cloud: LocalCloud,
  bundles: BundledFunctions,
  dir: string,
): Promise<{ xlsx: ReaderFileOutcome; dbf: ReaderFileOutcome }> => {
  const { s3, ddb } = cloud.clients;
  const deliver = async (key: string, body: Buffer): Promise<ReaderFileOutcome> => {
    const loadedBefore = bundles.loadedModules('splitPayrollFile') ?? [];
    await s3.send(new PutObjectCommand({ Bucket: cloud.names.buckets.intake, Key: key, Body: body }));
    await cloud.drain({ timeoutMs: 60_000 });
    const fileId = fileIdOf(key, createHash('sha256').update(body).digest('hex'));
    const out = await ddb.send(
      new GetCommand({ TableName: cloud.names.tables.registry, Key: { pk: `FILE#${fileId}`, sk: 'FILE' } }),
    );
    return { file: out.Item, loadedBefore, loadedAfter: bundles.loadedModules('splitPayrollFile') ?? [] };
  };

  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Potongan');
  sheet.addRow(['nip', 'nama', 'periode', 'jumlah']);
  for (const nip of readerNips) sheet.addRow([nip, 'Pegawai', MONTH, 15_000]);
  const xlsx = await deliver(
    `incoming/payroll/${POOL}/${MONTH}/DINSOS.xlsx`,
    Buffer.from(await workbook.xlsx.writeBuffer()),
  );

  await new DynamoDbColumnMappings({ ddb, tableName: cloud.names.tables.registry }).put({
    pool: POOL,
    agency: 'BPKAD',
    columns: { NIP: 'nip', NAMA: 'nama', POTSERTAK: 'jumlah' },
    periodFromKey: true,
    updatedBy: 'bundle test',
    updatedAt: `${MONTH}-03T00:00:00.000Z`,
  });
  const dbfFile = join(dir, 'fgaji.dbf');
  await writeSimgajiDbf(
    dbfFile,
    readerNips.map((nip) => ({ nip, nama: 'Pegawai', gapok: 3_500_000, potongan: 16_800 })),
  );
  const dbf = await deliver(`incoming/payroll/${POOL}/${MONTH}/BPKAD.dbf`, await readFile(dbfFile));
  return { xlsx, dbf };
};

/** The files of a function's asset (relative paths) whose source map names a package's modules. */
export const chunksCarrying = (assetDir: string, files: readonly string[], pkg: string): string[] =>
  files.filter((file) => {
    const map = JSON.parse(readFileSync(join(assetDir, `${file}.map`), 'utf8')) as { sources: string[] };
    return map.sources.some((source) => source.includes(`node_modules/${pkg}/`));
  });
