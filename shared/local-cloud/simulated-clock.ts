import type { Clock } from '#domain/ports/clock.ts';

export class ClockRewindError extends Error {
  override readonly name = 'ClockRewindError';
}

/** A clock tests and the demo drive by hand: time moves only when told to. */
export class SimulatedClock implements Clock {
  #now: number;

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Jump anywhere, backwards included (e.g. to replay a month). */
  set(date: Date): void {
    this.#now = date.getTime();
  }

  /** Move forward only: going back by mistake would silently re-fire schedules. */
  advanceTo(date: Date): void {
    if (date.getTime() < this.#now) {
      throw new ClockRewindError(
        `cannot advance from ${this.now().toISOString()} back to ${date.toISOString()}`,
      );
    }
    this.#now = date.getTime();
  }

  advanceBy(ms: number): void {
    this.advanceTo(new Date(this.#now + ms));
  }
}
