import { Aws } from 'aws-cdk-lib';
import type { Stage } from '#infra/config.ts';

/**
 * Bucket names are fixed (stage + logical name + account + region: globally unique, still readable)
 * rather than CDK-generated. Both stacks can then derive a bucket's ARN from pseudo parameters without
 * a cross-stack export, and the IAM resources and their cdk-nag acknowledgements name a stable ARN.
 */
export const bucketPhysicalName = (stage: Stage, logical: string): string =>
  `sertakan-${stage}-${logical}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
