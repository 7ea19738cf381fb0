import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { loadStageConfig, type Stage } from '#infra/config.ts';
import { buildSertakanApp, type SertakanStacks } from '#infra/sertakan-app.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The feature flags of cdk.json, so the tests synthesise what `cdk synth` synthesises. */
const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson: unknown = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));
  const context = (cdkJson as { context?: Record<string, unknown> }).context;
  return context ?? {};
};

export type SynthesisedApp = SertakanStacks & {
  readonly app: App;
  readonly statefulTemplate: Template;
  readonly processingTemplate: Template;
};

/**
 * One synthesis per stage per test file. Bundling is skipped (Template tests only need the template)
 * and CDK's built-in CloudFormation schema validation is off for speed; cdk-nag is checked explicitly.
 */
export const synthesise = (stage: Stage): SynthesisedApp => {
  process.env.CDK_VALIDATION = 'false';
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildSertakanApp(app, loadStageConfig({ stage }));
  return {
    app,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    processingTemplate: Template.fromStack(stacks.processing),
  };
};

/** Logical id of a construct's CloudFormation resource, as it appears in its stack's template. */
export const logicalIdOf = (construct: IConstruct): string => {
  const cfn = (construct.node.defaultChild ?? construct) as CfnResource;
  return Stack.of(construct).getLogicalId(cfn);
};

type CfnResourceJson = { Type: string; Properties?: Record<string, unknown> };

export const resourceById = (template: Template, logicalId: string): CfnResourceJson => {
  const resources = template.toJSON().Resources as Record<string, CfnResourceJson>;
  const resource = resources[logicalId];
  if (resource === undefined) throw new Error(`no resource ${logicalId} in template`);
  return resource;
};

export const resourcesOfType = (template: Template, type: string): [string, CfnResourceJson][] =>
  Object.entries(template.toJSON().Resources as Record<string, CfnResourceJson>).filter(
    ([, r]) => r.Type === type,
  );
