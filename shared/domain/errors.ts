/**
 * Domain error types. Adapters translate SDK failures into these (a failed condition becomes a
 * ConflictError, throttling a TransientError with `cause`), so use cases and handlers never inspect
 * AWS error shapes. Each class sets `name` explicitly because bundlers may minify class names.
 */
export type DomainErrorOptions = {
  /** Machine-readable code; defaults per class. */
  readonly code?: string;
  readonly cause?: unknown;
};

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly code: string;

  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'DOMAIN_ERROR';
  }
}

/** Input broke a domain rule (a reason code from reasons.ts is a good `code`). */
export class ValidationError extends DomainError {
  override readonly name: string = 'ValidationError';
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { code: 'VALIDATION_FAILED', ...options });
  }
}

/** A conditional write lost: someone else changed the item first. Re-read and decide again. */
export class ConflictError extends DomainError {
  override readonly name: string = 'ConflictError';
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { code: 'CONFLICT', ...options });
  }
}

export class NotFoundError extends DomainError {
  override readonly name: string = 'NotFoundError';
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { code: 'NOT_FOUND', ...options });
  }
}

/** Worth retrying (throttling, timeouts, a service briefly unavailable). Keeps the original `cause`. */
export class TransientError extends DomainError {
  override readonly name: string = 'TransientError';
  readonly retryable = true;
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { code: 'TRANSIENT', ...options });
  }
}

/**
 * The caller may not do this, or not here: outside their scope, without the grant, or unknown. Always
 * answered with one constant body, so a refusal never says whether the thing asked for exists.
 */
export class AccessDeniedError extends DomainError {
  override readonly name: string = 'AccessDeniedError';
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { code: 'FORBIDDEN', ...options });
  }
}

/** A message that can never succeed however often it is retried: report it, do not redeliver it. */
export class PoisonMessageError extends DomainError {
  override readonly name: string = 'PoisonMessageError';
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { code: 'POISON_MESSAGE', ...options });
  }
}

/** The rate table config is unusable, or a month has no rate. A deployment fault, not bad input. */
export class RateTableError extends DomainError {
  override readonly name: string = 'RateTableError';
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { code: 'RATE_TABLE_INVALID', ...options });
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export function isTransientError(error: unknown): error is TransientError {
  return error instanceof TransientError;
}
