/**
 * Herald's error family. Every error a client may see is an AppError with a stable `code`, the
 * HTTP status it maps to, and whether retrying may help. Handlers and retry loops ask the error
 * (`error.retriable`, `error.code`), never match its message.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `email` or `address.city`; empty for the body. */
  path: string;
  message: string;
}

export interface AppErrorOptions {
  details?: ErrorDetail[];
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retriable: boolean;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: string, status: number, message: string, retriable: boolean, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.retriable = retriable;
    this.details = options.details;
  }

  /** The shape clients receive: `{ error: { code, message, details? } }`. Never the cause. */
  toJSON(): { error: { code: string; message: string; details?: ErrorDetail[] } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

export class ValidationError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('BAD_USER_INPUT', 400, message, false, options);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA_TYPE', 415, message, false);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super('PAYLOAD_TOO_LARGE', 413, message, false);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Invalid credentials') {
    super('UNAUTHENTICATED', 401, message, false);
  }
}

/** The caller is known but may not do this (a wrong current password, someone else's resource). */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', 403, message, false);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', 404, message, false);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('CONFLICT', 409, message, false, options);
  }
}

/**
 * Too many requests from one client or for one account; trying again after `retryAfterSeconds`
 * may work (the HTTP answer carries it as `Retry-After`).
 */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', 429, message, true);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A dependency (database, broker, another service) could not be reached; trying later may work. */
export class UnavailableError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('UNAVAILABLE', 503, message, true, options);
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
