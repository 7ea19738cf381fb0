import type { PoolCode } from '#domain/model.ts';

/** One ops digest as it goes on the topic (SNS): text plus the attributes ops filter on. */
export type DigestMessage = {
  /** ASCII, under 100 characters (SNS e-mail subject). */
  readonly subject: string;
  readonly body: string;
  readonly attributes: {
    readonly pool: PoolCode;
    readonly kinds: readonly string[];
    readonly severity: 'CRITICAL' | 'WARNING';
    /** Stable per pool and date (`digestIdOf`): a repeat of the same digest carries the same id. */
    readonly digestId: string;
  };
};

export interface AlertPublisher {
  /** Returns the message id the topic gave it. Throws TransientError when the topic is unreachable. */
  publish(message: DigestMessage): Promise<string>;
}
