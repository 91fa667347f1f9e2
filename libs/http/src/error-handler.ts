import { isAppError, NotFoundError, PayloadTooLargeError, RateLimitedError, UnsupportedMediaTypeError, ValidationError, type AppError, type Logger } from '@herald/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * body-parser's errors carry a `type`; each becomes the 4xx it stands for. Messages are fixed
 * text: never the parser's own message, which can quote the body.
 */
function fromBodyParser(error: { type?: string; status?: number }, limit: number): AppError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(`Request body is larger than ${limit} bytes`);
    case 'entity.parse.failed':
      return new ValidationError('Request body is not valid JSON');
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('Request body must be UTF-8 JSON');
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError('Content-Encoding is not supported');
    case 'request.aborted':
    case 'request.size.invalid':
      return new ValidationError('Request body was incomplete');
    default:
      break;
  }
  // Untyped 4xx errors come from inflating the body (gzip, deflate or br bytes that do not
  // decode): the client's fault, so a 400 rather than a 500.
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
    return new ValidationError('Request body does not decode as its Content-Encoding says');
  }
  return undefined;
}

/** One place turns errors into JSON answers: AppErrors as they are, anything else as a masked 500. */
export function createErrorHandler({ logger, bodyLimitBytes }: { logger: Logger; bodyLimitBytes: number }): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = isAppError(error) ? error : fromBodyParser(error as { type?: string }, bodyLimitBytes);
    if (known) {
      if (known.status >= 500) logger.error({ err: error, path: req.path }, known.message);
      if (known instanceof RateLimitedError) res.set('Retry-After', String(known.retryAfterSeconds));
      res.status(known.status).json(known.toJSON());
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'unexpected error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal server error' } });
  };
}

// The path is not repeated: an error never echoes any part of the request.
export const notFoundHandler: RequestHandler = (req, _res, next) => next(new NotFoundError('No such route'));

/**
 * Requests with a body must say it is JSON; anything else is a 415 rather than an empty object.
 * A POST with an empty body (a logout) has nothing to type.
 */
export const requireJson: RequestHandler = (req, _res, next) => {
  const empty = req.get('content-length') === '0' || req.is('application/json') === null;
  if (req.method === 'POST' && !empty && !req.is('application/json')) {
    next(new UnsupportedMediaTypeError('Content-Type must be application/json'));
    return;
  }
  next();
};
