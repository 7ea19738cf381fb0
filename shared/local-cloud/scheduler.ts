import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type Clock, systemClock } from '#domain/ports/clock.ts';
import { type QueueName, type ScheduleSpec, schedules } from '#infra/resources.ts';
import type { LocalResourceNames } from './create-resources.ts';
import { type CronSchedule, occurrencesBetween, parseCron, utcOffsetMinutesOf } from './cron.ts';
import type { SimulatedClock } from './simulated-clock.ts';

export type ScheduleName = keyof typeof schedules;

export type FiredSchedule = {
  readonly schedule: ScheduleName;
  readonly queue: QueueName;
  readonly scheduledTime: string;
  readonly messageId: string;
};

export type LocalScheduler = {
  /** The schedules with an occurrence in `from < t <= to`, without sending anything. */
  dueBetween(from: Date, to: Date): ScheduleName[];
  /** Sends every occurrence with `from < t <= to`, in time order; resolves once all are sent. */
  fireBetween(from: Date, to: Date): Promise<FiredSchedule[]>;
  /**
   * A jump of simulated time: fires what falls between the clock's time and `to`, then moves the clock to
   * `to`. A schedule marked `catchUpLatestOnly` (a state-reading sweep) sends only its latest occurrence
   * in the jump, since nothing happened between the occurrences; every other schedule sends each one.
   */
  advance(clock: SimulatedClock, to: Date): Promise<FiredSchedule[]>;
  /** For `local up`: checks the clock every `tickMs` and fires what came due since the last check. */
  startRealTime(opts?: { clock?: Clock; tickMs?: number }): { stop(): Promise<void> };
};

type Compiled = { name: ScheduleName; spec: ScheduleSpec; cron: CronSchedule; offset: number };

/**
 * EventBridge Scheduler with SQS targets, locally. The message body is the spec's `message` plus
 * `scheduledTime` (what the CDK target templates from <aws.scheduler.scheduled-time>).
 */
export const makeScheduler = (deps: {
  readonly sqs: SQSClient;
  readonly names: LocalResourceNames;
  readonly onError: (err: unknown) => void;
}): LocalScheduler => {
  const compiled: Compiled[] = (Object.entries(schedules) as [ScheduleName, ScheduleSpec][]).map(
    ([name, spec]) => ({ name, spec, cron: parseCron(spec.cron), offset: utcOffsetMinutesOf(spec.timeZone) }),
  );

  const fireBetween = async (from: Date, to: Date, latestOnly = false): Promise<FiredSchedule[]> => {
    const due = compiled
      .flatMap((c) => {
        const all = occurrencesBetween(c.cron, from, to, c.offset);
        const at = latestOnly && c.spec.catchUpLatestOnly ? all.slice(-1) : all;
        return at.map((t) => ({ c, at: t }));
      })
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    const fired: FiredSchedule[] = [];
    for (const { c, at } of due) {
      const scheduledTime = at.toISOString();
      const { MessageId } = await deps.sqs.send(
        new SendMessageCommand({
          QueueUrl: deps.names.queues[c.spec.queue].url,
          MessageBody: JSON.stringify({ ...c.spec.message, scheduledTime }),
        }),
      );
      fired.push({ schedule: c.name, queue: c.spec.queue, scheduledTime, messageId: MessageId ?? '' });
    }
    return fired;
  };

  return {
    dueBetween: (from, to) =>
      compiled.filter((c) => occurrencesBetween(c.cron, from, to, c.offset).length > 0).map((c) => c.name),
    fireBetween: (from, to) => fireBetween(from, to),
    advance: async (clock, to) => {
      const fired = await fireBetween(clock.now(), to, true);
      clock.advanceTo(to);
      return fired;
    },
    startRealTime: (opts = {}) => {
      const clock = opts.clock ?? systemClock;
      let last = clock.now();
      let running: Promise<unknown> = Promise.resolve();
      const timer = setInterval(() => {
        running = running.then(async () => {
          const now = clock.now();
          if (now.getTime() <= last.getTime()) return;
          const from = last;
          last = now;
          await fireBetween(from, now).catch(deps.onError);
        });
      }, opts.tickMs ?? 1000);
      return {
        stop: async () => {
          clearInterval(timer);
          await running;
        },
      };
    },
  };
};
