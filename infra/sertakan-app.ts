import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageConfig } from '#infra/config.ts';
import { ProcessingStack } from '#infra/stacks/processing-stack.ts';
import { StatefulStack } from '#infra/stacks/stateful-stack.ts';

export type SertakanStacks = { readonly stateful: StatefulStack; readonly processing: ProcessingStack };

/**
 * Builds both stacks for one stage into `app` and registers cdk-nag (v3 policy-validation plugin), so
 * `cdk synth` and the infra tests check exactly the same construct tree.
 */
export const buildSertakanApp = (app: App, config: StageConfig): SertakanStacks => {
  // Feature flags this app relies on, set here (unless cdk.json already does) so tests and `cdk synth`
  // agree. Server access logs under a bucket policy (not the legacy LogDeliveryWrite ACL) work with
  // BUCKET_OWNER_ENFORCED; strong cross-stack references keep the stateful stack from dropping an
  // export (a table or queue) the processing stack still uses.
  const flags = {
    '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
    '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  };
  for (const [flag, value] of Object.entries(flags)) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
  const prefix = `Sertakan-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    config,
    description: 'SERTAKAN data: tables, buckets, queues + DLQs, ops topics',
    terminationProtection: config.tableDeletionProtection,
  });
  const processing = new ProcessingStack(app, `${prefix}-Processing`, {
    config,
    description: 'SERTAKAN functions, triggers, finance API, alarms and dashboard',
    stateful: {
      tables: stateful.tables,
      queues: stateful.queues,
      topics: stateful.topics,
      opsAlarmsTopic: stateful.opsAlarmsTopic,
      dataKey: stateful.dataKey,
    },
  });
  Tags.of(app).add('project', 'sertakan');
  Tags.of(app).add('stage', config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, processing };
};
