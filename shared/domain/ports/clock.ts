/** The only source of "now" for use cases: real in Lambda, simulated in tests and the demo. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
