/**
 * Outcome of a check on untrusted input. Validators return a `Result` instead of throwing, so a bad
 * row becomes a clear rejection with a reason code (see reasons.ts), never a crash.
 */
export type Result<T, R extends string = string> =
  | { ok: true; value: T }
  | { ok: false; reason: R; detail?: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<R extends string>(
  reason: R,
  detail?: string,
): { ok: false; reason: R; detail?: string } {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}
