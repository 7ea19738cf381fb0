import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Argument, type Command } from 'commander';
import { formatNumberId } from '#domain/money.ts';
import type { FileVersion } from '#domain/ports/file-registry.ts';
import { DynamoDbFileRegistry } from '#shared/adapters/dynamodb-file-registry.ts';
import { agencySchema, monthSchema, poolSchema } from '#shared/use-cases/finance/requests.ts';
import { fileIdOf, payrollKey, takesNextRevision } from '#shared/use-cases/intake/intake-key.ts';
import { outcomeTable, pendingText, shownOutcome } from '../file-outcome.ts';
import { type CommonOptions, render, renderTable, withOutputOptions } from '../output.ts';
import {
  defaultReportPath,
  fetchObject,
  PREVIEW_ROWS,
  previewRejections,
  saveReport,
} from '../report-objects.ts';
import { type Target, withTarget } from '../target.ts';
import { CliUsageError, parseOption, secondsOption } from '../usage.ts';
import { waitUntil } from '../wait.ts';

/**
 * `sertakan submit payroll|workers|grant <file>`: puts the file into the intake bucket at the key
 * docs/design.md#where-a-file-sits prescribes, waits until the pipeline has recorded its outcome (and, for payroll, until
 * its deductions are in the ledger), then prints the outcome and the first rejected rows, and saves the
 * whole rejection report as a file (`--report-out`, default under the data dir's `reports/`).
 */

const KINDS = ['payroll', 'workers', 'grant', 'bpjs'] as const;
type Kind = (typeof KINDS)[number];

type SubmitOptions = CommonOptions & {
  readonly pool: string;
  readonly period?: string;
  readonly agency?: string;
  /** The coverage month of a BPJS confirmation file (bpjs only). */
  readonly month?: string;
  readonly timeout: string;
  readonly reportOut?: string;
  /** A correction-only file ("file koreksi"): only the listed donors change; 0 removes one. */
  readonly koreksi?: boolean;
  /** A late file for a month before the pool's first month (shown as a late correction). */
  readonly late?: boolean;
};

export type SubmitRequest = {
  readonly kind: Kind;
  readonly path: string;
  readonly key: string;
  readonly contentType: string;
};

const CONTENT_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  dbf: 'application/dbase',
} as const;

/** Validates the options and builds the intake key (the splitter reads pool, period, agency from it). */
export function submitRequest(
  kind: Kind,
  path: string,
  opts: Omit<SubmitOptions, keyof CommonOptions | 'timeout'>,
): SubmitRequest {
  const pool = parseOption(poolSchema, opts.pool, '--pool');
  const ext = extname(path).slice(1).toLowerCase();
  if (ext !== 'csv' && ext !== 'xlsx' && ext !== 'dbf')
    throw new CliUsageError(`${basename(path)}: only .csv, .xlsx and .dbf files are accepted`);
  if (kind === 'payroll') {
    if (opts.period === undefined || opts.agency === undefined) {
      throw new CliUsageError('submit payroll needs --period YYYY-MM and --agency <code>');
    }
    const period = parseOption(monthSchema, opts.period, '--period');
    const agency = parseOption(agencySchema, opts.agency, '--agency');
    return {
      kind,
      path,
      // The uploader says what the file is (docs/intake.md#payroll-key-folders): never guessed.
      key: payrollKey(pool, period, agency, ext, {
        mode: opts.koreksi ? 'CORRECTION' : 'REPLACE',
        late: opts.late ?? false,
      }),
      contentType: CONTENT_TYPES[ext],
    };
  }
  if (opts.period !== undefined || opts.agency !== undefined || opts.koreksi || opts.late) {
    throw new CliUsageError(
      `--period, --agency, --koreksi and --late are for payroll files only, not ${kind}`,
    );
  }
  if (kind === 'bpjs') {
    // BPJS's answer for one pool's coverage month (docs/bpjs-loop.md#the-confirmation-file).
    if (opts.month === undefined) throw new CliUsageError('submit bpjs needs --month YYYY-MM');
    const month = parseOption(monthSchema, opts.month, '--month');
    return {
      kind,
      path,
      key: `incoming/bpjs/${pool}/${month}/${basename(path)}`,
      contentType: CONTENT_TYPES[ext],
    };
  }
  if (opts.month !== undefined) throw new CliUsageError(`--month is for BPJS files only, not ${kind}`);
  const folder = kind === 'workers' ? 'workers' : 'grants';
  const name = basename(path);
  return { kind, path, key: `incoming/${folder}/${pool}/${name}`, contentType: CONTENT_TYPES[ext] };
}

/**
 * Where the intake puts the next upload of these bytes at this key, found as the intake functions name
 * versions: fileId = f(key, sha256(content), revision), the revision moving on as `takesNextRevision`
 * says (this PUT is always another upload). `file`: what that revision holds now
 * (undefined when nothing is recorded there yet).
 */
export async function nextRevision(
  files: Pick<DynamoDbFileRegistry, 'getFile'>,
  key: string,
  contentHash: string,
): Promise<{ readonly revision: number; readonly file: FileVersion | undefined }> {
  for (let revision = 0; ; revision++) {
    const file = await files.getFile(fileIdOf(key, contentHash, revision));
    if (file === undefined || !takesNextRevision(file.status, true)) return { revision, file };
  }
}

/**
 * The outcome of this upload once the intake has finished with it: the version at `from` (the
 * revision {@link nextRevision} found before the PUT) or, if it was superseded since, a later one.
 * Undefined while it is not recorded yet or still PROCESSING.
 */
export async function findOutcome(
  files: Pick<DynamoDbFileRegistry, 'getFile'>,
  key: string,
  contentHash: string,
  from = 0,
): Promise<FileVersion | undefined> {
  for (let revision = from; ; revision++) {
    const file = await files.getFile(fileIdOf(key, contentHash, revision));
    if (file === undefined || file.status === 'PROCESSING') return undefined;
    if (file.status !== 'SUPERSEDED') return file;
  }
}

async function submit(
  access: Target,
  req: SubmitRequest,
  timeoutMs: number,
  opts: SubmitOptions,
): Promise<void> {
  const body = await readFile(req.path);
  const contentHash = createHash('sha256').update(body).digest('hex');
  const files = new DynamoDbFileRegistry({
    ddb: access.clients.ddb,
    tableName: access.names.tables.registry,
  });
  const bucket = access.names.buckets.intake;
  // A finished version of these bytes is already at this key: the intake will call this upload a
  // DUPLICATE (another PUT of recorded content), and so does what is shown, however soon after the
  // first. A PROCESSING one (an earlier submit that gave up waiting) is finished by this upload's
  // event and its outcome is this upload's. Left open: the same bytes sent twice at once, before
  // the intake has recorded the first; the second is then shown as the first's outcome.
  const before = await nextRevision(files, req.key, contentHash);
  const earlier = before.file !== undefined && before.file.status !== 'PROCESSING';
  await access.clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: req.key, Body: body, ContentType: req.contentType }),
  );
  const found = await waitUntil(`the outcome of s3://${bucket}/${req.key}`, timeoutMs, () =>
    findOutcome(files, req.key, contentHash, before.revision),
  );
  // Payroll credits reach the ledger through the deductions queue after the file is recorded.
  await access.settle(req.kind === 'payroll' ? ['deductions'] : [], timeoutMs);
  const file = shownOutcome(found, earlier);
  const reportBucket = access.names.buckets.reports;
  const uri = `s3://${bucket}/${req.key}`;
  const reportUri = `s3://${reportBucket}/${file.reportKey}`;
  const report = await fetchObject(access.clients.s3, reportBucket, file.reportKey);
  const reportFile = await saveReport(
    opts.reportOut ?? defaultReportPath(opts.dataDir, file.reportKey),
    report,
  );
  const preview = previewRejections(report);
  const json = { ...file, uri, reportUri, reportFile, receivedBefore: earlier };
  process.stdout.write(render(opts.format, opts.delimiter, outcomeTable(file), json));
  if (opts.format === 'table') {
    const credited =
      req.kind === 'payroll' && (file.status === 'ACCEPTED' || file.status === 'PARTIALLY_REJECTED');
    const ledger = credited ? 'Potongan sudah di buku besar / deductions are in the ledger.\n' : '';
    process.stdout.write(`\nBerkas / file: ${uri}\n${ledger}${pendingText(file)}`);
    if (preview.total > 0) {
      const shown = preview.total - preview.more;
      process.stdout.write(
        `\nBaris ditolak / rejected rows (${formatNumberId(shown)} dari / of ${formatNumberId(preview.total)}):\n` +
          `${renderTable(preview.table)}\n` +
          (preview.more > 0
            ? `... dan ${formatNumberId(preview.more)} baris lagi / and ${formatNumberId(preview.more)} more rows (semua / all: ${reportFile})\n`
            : ''),
      );
    }
    process.stdout.write(
      `\nLaporan penolakan / rejection report:\n  ${reportFile}\n  (${reportUri}; \`sertakan reports get ${file.reportKey}\` fetches it again)\n`,
    );
  }
  // A script (or a payroll system) must see that nothing was taken: the outcome is printed, then exit 1.
  if (file.status === 'REJECTED')
    throw new SubmissionRejectedError(
      `berkas ditolak seluruhnya, tidak ada yang dicatat / the whole file was rejected, nothing was recorded${file.rejectReason ? ` (${file.rejectReason})` : ''}: perbaiki lalu kirim ulang / fix it and submit again`,
    );
}

/**
 * The submitted file came back REJECTED (the pipeline took none of it); the outcome was already printed.
 * Exit 1. Not the intake's own FileRejectedError (shared/intake/errors.ts), which the pipeline raises.
 */
export class SubmissionRejectedError extends Error {
  override readonly name = 'SubmissionRejectedError';
}

export function register(program: Command): void {
  withOutputOptions(
    program
      .command('submit')
      .description(
        'put a payroll, worker, grant or BPJS confirmation file into the intake and wait for its outcome',
      )
      .addArgument(new Argument('<kind>', 'what the file is').choices(KINDS))
      .argument('<file>', 'the .csv, .xlsx or .dbf file')
      .requiredOption('--pool <code>', 'pool, e.g. 15.04')
      .option('--period <YYYY-MM>', 'payroll period (payroll only)')
      .option('--agency <code>', 'agency (OPD) code (payroll only)')
      .option('--month <YYYY-MM>', "coverage month of BPJS's confirmation file (bpjs only)")
      .option(
        '--koreksi',
        'a correction-only file: only the listed donors change, 0 removes one (payroll only)',
      )
      .option('--late', "a late file for a month before the pool's first month (payroll only)")
      .option('--timeout <seconds>', 'how long to wait for the pipeline', '120')
      .option(
        '--report-out <file>',
        `where to save the whole rejection report (default: <data-dir>/reports/rejections/...; the first ${PREVIEW_ROWS} rows are printed)`,
      ),
  ).action(async (kind: Kind, path: string, opts: SubmitOptions) => {
    const req = submitRequest(kind, path, opts);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new CliUsageError(`${path}: no such file`);
    const timeoutMs = parseOption(secondsOption, opts.timeout, '--timeout') * 1000;
    await withTarget(opts, (access) => submit(access, req, timeoutMs, opts));
  });
}
