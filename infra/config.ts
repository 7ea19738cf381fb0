import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { type FinanceCaller, parseFinanceCallers } from '#shared/finance-api/callers.ts';

/**
 * Everything that differs between stages, chosen with `-c stage=dev|prod`. Code never branches on
 * the stage name: it reads these fields, so a new stage is one entry here.
 */
export type StageConfig = {
  readonly stage: Stage;
  /** What CloudFormation does with tables and buckets when the stack or resource goes away. */
  readonly removalPolicy: RemovalPolicy;
  /** Dev buckets are emptied on delete so `cdk destroy` leaves nothing behind; never in prod. */
  readonly autoDeleteObjects: boolean;
  readonly tableDeletionProtection: boolean;
  readonly pointInTimeRecovery: boolean;
  readonly logRetention: RetentionDays;
  /** Server access logs and old object versions are kept this long before lifecycle expiry. */
  readonly accessLogExpiration: Duration;
  readonly noncurrentVersionExpiration: Duration;
  readonly alarms: {
    /** The deductions queue's oldest message may be this old before someone is paged. */
    readonly deductionsOldestMessageAge: Duration;
    /** Function errors per 5 minutes tolerated before alarming (retries make single errors normal). */
    readonly functionErrorsPer5Min: number;
  };
  /** Subscribed to both ops topics by email when set; otherwise subscribe after deploy (README). */
  readonly opsEmail?: string;
  /**
   * Who may call the finance API and what each sees (docs/access.md, "Machines"): `-c
   * financeCallers='[{"arn":"arn:aws:iam::<account>:role/<role>","name":"...","pools":["15"],"grants":[]}]'`.
   * Empty by default: the API then refuses every caller.
   */
  readonly financeCallers: readonly FinanceCaller[];
};

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

const configs: Record<Stage, Omit<StageConfig, 'opsEmail' | 'financeCallers'>> = {
  dev: {
    stage: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
    tableDeletionProtection: false,
    // PITR stays on in dev too: it is cheap at dev volumes and keeps dev and prod templates alike.
    pointInTimeRecovery: true,
    logRetention: RetentionDays.TWO_WEEKS,
    accessLogExpiration: Duration.days(30),
    noncurrentVersionExpiration: Duration.days(7),
    alarms: { deductionsOldestMessageAge: Duration.minutes(30), functionErrorsPer5Min: 5 },
  },
  prod: {
    stage: 'prod',
    removalPolicy: RemovalPolicy.RETAIN,
    autoDeleteObjects: false,
    tableDeletionProtection: true,
    pointInTimeRecovery: true,
    // Payroll money trail: keep function logs for a year of audits.
    logRetention: RetentionDays.ONE_YEAR,
    accessLogExpiration: Duration.days(365),
    noncurrentVersionExpiration: Duration.days(90),
    alarms: { deductionsOldestMessageAge: Duration.minutes(15), functionErrorsPer5Min: 1 },
  },
};

export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

const contextSchema = z.object({
  stage: z.enum(STAGES, { error: () => `stage must be one of ${STAGES.join(', ')} (-c stage=dev|prod)` }),
  opsEmail: z.email().optional(),
  financeCallers: z
    .string()
    .optional()
    .transform((s, ctx) => {
      try {
        return s === undefined ? [] : parseFinanceCallers(s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not a valid callers table: ${String(err).slice(0, 200)}` });
        return z.NEVER;
      }
    }),
});

/** Reads `-c stage=...` (and optional `-c opsEmail=...`) from CDK context; fails with the field's name. */
export const loadStageConfig = (context: {
  stage?: unknown;
  opsEmail?: unknown;
  financeCallers?: unknown;
}): StageConfig => {
  const parsed = contextSchema.safeParse(context);
  if (!parsed.success) {
    throw new StageConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const { stage, opsEmail, financeCallers } = parsed.data;
  return { ...configs[stage], financeCallers, ...(opsEmail === undefined ? {} : { opsEmail }) };
};
