import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadStageConfig, StageConfigError } from '#infra/config.ts';
import { resourcesOfType, type SynthesisedApp, synthesise } from '#test/infra/synth-fixture.ts';

const stages = { dev: synthesise('dev'), prod: synthesise('prod') } as const;
const all = Object.entries(stages) as [keyof typeof stages, SynthesisedApp][];
const propsOf = (app: SynthesisedApp, type: string): Record<string, unknown>[] =>
  resourcesOfType(app.statefulTemplate, type).map(([, r]) => r.Properties ?? {});

describe.each(all)('%s stage', (stage, app) => {
  it('cdk-nag AwsSolutions reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app.app);

    expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources[0]?.constructPath}`)).toEqual(
      [],
    );
  });

  it('acknowledges only the documented findings, each with a specific reason', () => {
    const acks = app.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), reason }));
    const documented = [
      /^AwsSolutions-S1$/,
      /^AwsSolutions-L1$/,
      /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole\]$/,
      /^AwsSolutions-IAM5\[Resource::\*\]$/,
      new RegExp(
        `^AwsSolutions-IAM5\\[Resource::arn:<AWS::Partition>:s3:::sertakan-${stage}-(intake|reports)-<AWS::AccountId>-<AWS::Region>/([a-z-]+/)*\\*\\]$`,
      ),
      // The console (infra/constructs/console-site.ts): Cognito plan, CloudFront without a custom domain,
      // and CDK's BucketDeployment function that copies the built page.
      /^AwsSolutions-COG[38]$/,
      /^AwsSolutions-CFR[234]$/,
      /^AwsSolutions-IAM5\[Action::s3:(GetBucket|GetObject|List|Abort|DeleteObject)\*\]$/,
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>\/\*\]$/,
      /^AwsSolutions-IAM5\[Resource::<ConsoleSite[0-9A-F]{8}\.Arn>\/\*\]$/,
    ];

    expect(acks.length).toBeGreaterThan(0);
    expect(acks.filter((a) => !documented.some((d) => d.test(a.id))).map((a) => a.id)).toEqual([]);
    expect(acks.filter((a) => a.reason.length < 60).map((a) => a.id)).toEqual([]);
  });

  it('tables: on-demand, encrypted, point-in-time recovery; deletion protection outside dev', () => {
    const tables = resourcesOfType(app.statefulTemplate, 'AWS::DynamoDB::Table');

    expect(tables).toHaveLength(3);
    for (const [, table] of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: stage !== 'dev',
      });
      expect((table as { DeletionPolicy?: string }).DeletionPolicy).toBe(
        stage === 'dev' ? 'Delete' : 'Retain',
      );
    }
  });

  it('buckets: encrypted, public access blocked, TLS-only; intake versioned and access-logged', () => {
    const buckets = propsOf(app, 'AWS::S3::Bucket');
    const policies = propsOf(app, 'AWS::S3::BucketPolicy');

    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.BucketEncryption).toBeDefined();
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    expect(policies).toHaveLength(3);
    for (const policy of policies) expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    const intake = buckets.find((b) =>
      (JSON.stringify(b.BucketName) ?? '').includes(`sertakan-${stage}-intake-`),
    );
    expect(intake?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(intake?.LoggingConfiguration).toBeDefined();
  });

  it("buckets: a retention per data class; personal data under the stack's customer-managed key", () => {
    const buckets = propsOf(app, 'AWS::S3::Bucket');
    const bucketOf = (name: string) =>
      buckets.find((b) => (JSON.stringify(b.BucketName) ?? '').includes(`sertakan-${stage}-${name}-`));
    const rulesOf = (name: string) => {
      const rules = (
        bucketOf(name)?.LifecycleConfiguration as { Rules?: Record<string, unknown>[] } | undefined
      )?.Rules;
      return (rules ?? []).filter((r) => r.ExpirationInDays !== undefined);
    };
    const days = (name: string) =>
      Object.fromEntries(rulesOf(name).map((r) => [r.Prefix, r.ExpirationInDays]));

    // Working objects briefly; raw files, snapshots and rejected rows while corrections may come;
    // financial records for the ten-year archive period (docs/data-retention.md).
    expect(days('reports')).toEqual({
      'plans/': 62,
      'work/': 7,
      'snapshots/': 732,
      'reports/rejections/': 732,
      'reports/alerts/': 400,
      'reports/bpjs-bill/': 3660,
      'reports/reconciliation/': 3660,
      'reports/allocations/': 3660,
      'reports/shares/': 3660,
    });
    expect(days('intake')).toEqual({ 'incoming/': 732 });
    expect(rulesOf('reports').every((r) => r.Status === 'Enabled')).toBe(true);
    for (const name of ['intake', 'reports']) {
      const sse = JSON.stringify(bucketOf(name)?.BucketEncryption);
      expect(sse, name).toContain('"SSEAlgorithm":"aws:kms"');
      expect(sse, name).toMatch(/"KMSMasterKeyID":\{"Fn::GetAtt":\["DataKey[0-9A-F]+","Arn"\]\}/);
    }
  });

  it('queues: SQS-managed encryption and a TLS-only queue policy on every queue and DLQ', () => {
    const queues = propsOf(app, 'AWS::SQS::Queue');
    const policies = propsOf(app, 'AWS::SQS::QueuePolicy');

    expect(queues.length).toBeGreaterThan(0);
    expect(queues.every((q) => q.SqsManagedSseEnabled === true)).toBe(true);
    expect(policies).toHaveLength(queues.length);
    for (const policy of policies) expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
  });

  it('topics: encrypted with the rotating CMK, TLS-only', () => {
    const topics = propsOf(app, 'AWS::SNS::Topic');
    const keys = propsOf(app, 'AWS::KMS::Key');

    // ops-alerts, intake-outcomes, ops-alarms
    expect(topics).toHaveLength(3);
    expect(topics.every((t) => t.KmsMasterKeyId !== undefined)).toBe(true);
    // The topics' key and the data buckets' key.
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.EnableKeyRotation === true)).toBe(true);
    for (const policy of propsOf(app, 'AWS::SNS::TopicPolicy')) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });
});

describe('stage config', () => {
  it('rejects an unknown stage naming the field', () => {
    expect(() => loadStageConfig({ stage: 'staging' })).toThrow(StageConfigError);
    expect(() => loadStageConfig({ stage: 'staging' })).toThrow(/stage/);
  });

  it('rejects a malformed ops email', () => {
    expect(() => loadStageConfig({ stage: 'prod', opsEmail: 'not-an-email' })).toThrow(/opsEmail/);
  });

  it('keeps prod data on stack deletion and dev disposable', () => {
    expect(loadStageConfig({ stage: 'prod' })).toMatchObject({
      autoDeleteObjects: false,
      tableDeletionProtection: true,
    });
    expect(loadStageConfig({ stage: 'dev' })).toMatchObject({
      autoDeleteObjects: true,
      tableDeletionProtection: false,
    });
  });
});
