import express, { type ErrorRequestHandler, type RequestHandler } from 'express';

const graphqlError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/**
 * GraphQL request bodies are read here, up to `limitBytes` (counted as they arrive, so a chunked
 * body without Content-Length is held to it too, and after decompression), and handed to yoga
 * whole. Past the limit: 413, before the rest is read. The answer never contains the body.
 */
export function limitGraphQLBody({ limitBytes }: { limitBytes: number }): Array<RequestHandler | ErrorRequestHandler> {
  const refuse: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, next) => {
    const status = error.status ?? 500;
    if (status === 413) res.status(413).json(graphqlError(`Request body is larger than ${limitBytes} bytes`, 'PAYLOAD_TOO_LARGE'));
    else if (status === 415) res.status(415).json(graphqlError('Content-Encoding must be gzip, deflate, br or none', 'UNSUPPORTED_MEDIA_TYPE'));
    else if (status >= 400 && status < 500) res.status(400).json(graphqlError('Request body could not be read', 'BAD_REQUEST'));
    else next(error);
  };
  return [express.raw({ type: () => true, limit: limitBytes }), refuse];
}
