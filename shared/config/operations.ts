/**
 * Operating facts that both the deployment (infra/resources.ts) and the functions read: set here once,
 * so a function never imports the infrastructure code to learn them.
 */

/**
 * The audit trail's lifetime in days (docs/data-retention.md): ten years, as Indonesian law keeps
 * financial records and their supporting documents (UU 8/1997 on company documents; UU KUP).
 */
export const AUDIT_RETENTION_DAYS = 3653;

/**
 * When the monthly allocation starts (EventBridge Scheduler, Asia/Jakarta): day 10, 06:00 WIB, when the
 * payroll of the 1st is in and BPJS must still be paid by the 15th.
 */
export const MONTHLY_ALLOCATION_CRON = 'cron(0 6 10 * ? *)';

/** When the monthly schedule fires (`cron(MIN HOUR DAY * ? *)` above, Asia/Jakarta), read once. */
export const MONTHLY_ALLOCATION_START: {
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
} = (() => {
  const [minute, hour, day] = MONTHLY_ALLOCATION_CRON.replace(/^cron\(/, '')
    .split(' ')
    .map(Number);
  return { day: day ?? 10, hour: hour ?? 6, minute: minute ?? 0 };
})();

/** The AWS region SERTAKAN runs in when none is set: Asia Pacific (Jakarta). */
export const DEFAULT_REGION = 'ap-southeast-3';
