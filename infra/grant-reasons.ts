/**
 * Why a function's role holds a permission that none of its recorded AWS calls used. The bundle test
 * (test/e2e/bundles) records every call each synthesized function makes and fails on any grant that is
 * neither used nor explained here, and on any entry here that no longer explains an unused grant.
 * `action` and `pattern` are globs over the generated table in infra/README.md; `functions` (names)
 * narrows an entry to some functions.
 */
export type GrantReason = {
  readonly action: string;
  readonly pattern: string;
  readonly functions?: readonly string[];
  readonly reason: string;
};

export const unusedGrantReasons: readonly GrantReason[] = [
  {
    action: 'dynamodb:Query',
    pattern: 'table:registry',
    functions: ['split-payroll-file'],
    reason:
      "a new version of an agency's month expires the older versions still waiting for confirmation, found among the period's files; the bundle slice sends no second version",
  },
  {
    action: 's3:PutObject',
    pattern: 'bucket:reports/reports/pending/*',
    functions: ['split-payroll-file'],
    reason:
      'a version that takes money away is held, its masked difference written under reports/pending/ for the treasurer to confirm; the bundle slice sends no such version',
  },
  {
    action: 's3:*Object',
    pattern: 'bucket:reports/work/alerts/*',
    functions: ['scan-lapses'],
    reason:
      "the day's alert CSV is written in parts under work/ only when a pool's scan spans invocations (more than one page of coverage records, 4,000 workers); a smaller pool's parts stay in memory, and the bundle slice's pools are small",
  },
  {
    action: 'dynamodb:UpdateItem',
    pattern: 'table:registry',
    functions: ['scan-lapses'],
    reason:
      "after a pool's daily scan, a payroll version held past its time is recorded EXPIRED (a conditional update of its decision); the bundle slice holds no version",
  },
  {
    action: 'dynamodb:PutItem',
    pattern: 'table:registry',
    functions: ['finance-api'],
    reason:
      'POST /pools creates a pool record (a conditional put); the bundle slice changes an existing pool (PATCH, an update) and creates none',
  },
  {
    action: 'logs:*',
    pattern: 'Processing/*Function/Logs',
    reason: "the Lambda runtime writes the function's own log group with the role; our SDK clients never do",
  },
  {
    action: 'xray:*',
    pattern: '*',
    reason: 'tracing is on (Tracing.ACTIVE): the runtime and the X-Ray SDK send segments; AWS requires "*"',
  },
  {
    action: 'sqs:*',
    pattern: 'queue:*',
    reason:
      "the SQS event source mapping receives, deletes and re-times the function's own queue's messages with the role (CDK's SqsEventSource grant)",
  },
  {
    action: 'kms:*',
    pattern: 'Stateful/TopicKey',
    functions: [
      'scan-lapses',
      'split-payroll-file',
      'register-workers',
      'credit-grants',
      'apply-bpjs-confirmations',
    ],
    reason:
      "the topics (ops-alerts, intake-outcomes) are encrypted with a CMK: SNS makes a publish's data key under the publisher's identity",
  },
  {
    action: 'kms:*',
    pattern: 'Stateful/DataKey',
    functions: [
      'split-payroll-file',
      'register-workers',
      'credit-grants',
      'allocate-pool',
      'scan-lapses',
      'finance-api',
      'console-api',
      'apply-bpjs-confirmations',
    ],
    reason:
      "the intake and reports buckets are encrypted with a CMK: S3 makes or opens an object's data key under the caller's identity (kms:ViaService s3 only), and a presigned URL acts with the signer's",
  },
  {
    action: 's3:ListBucket',
    pattern: 'bucket:*',
    reason:
      'lets a missing key answer 404 instead of 403 for a function that reads the bucket, so "absent" is told apart',
  },
  {
    action: 's3:AbortMultipartUpload',
    pattern: 'bucket:*',
    reason:
      "large bodies are uploaded in parts and a failed upload is aborted; the slice's objects fit one PUT",
  },
  {
    action: 'dynamodb:GetItem',
    pattern: 'table:ledger',
    functions: ['credit-grants'],
    reason:
      'a grant reference claimed before is read back to tell a repeat (no-op) from different money (conflict); the slice credits each grant once',
  },
  {
    action: 'dynamodb:GetItem',
    pattern: 'table:ledger',
    functions: ['allocate-pool'],
    reason:
      "a redone chunk finds a worker's month already allocated and reads it back to tell its own run from another; the slice writes each allocation once",
  },
  {
    action: 'dynamodb:GetItem',
    pattern: 'table:ledger',
    functions: ['allocate-pool'],
    reason:
      "a redone chunk finds a worker's month already allocated and reads it back to tell its own run from another; the slice writes each allocation once",
  },
  {
    action: 's3:GetObject',
    pattern: 'bucket:reports/reports/*',
    functions: ['finance-api'],
    reason:
      'an export link (GET /pools/{pool}/exports/{kind}) checks the month file exists (HeadObject) and presigns a GET that the caller runs with this role; the slice asks for no export',
  },
  {
    action: '*',
    pattern: '*',
    functions: ['console-api'],
    reason:
      'the console API answers signed-in people only (a Cognito ID token checked against the pool JWKS), which the bundle slice cannot obtain; its routes and their DynamoDB and S3 calls run on the emulators in test/integration/console and test/e2e/console',
  },
];
