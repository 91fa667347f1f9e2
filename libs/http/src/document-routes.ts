import { createHash } from 'node:crypto';
import { Router, type RequestHandler } from 'express';

/**
 * GET `path`: a contract document (OpenAPI, AsyncAPI as JSON; a GraphQL schema as its SDL text),
 * serialised once. Readable from any origin (a viewer in the browser), cacheable, with an ETag for
 * revalidation. Public like the schemas it states, unless `guard` (the operator check) comes first.
 */
export function createDocumentRoutes({ path, document, guard }: { path: string; document: object | string; guard?: RequestHandler }): Router {
  const text = typeof document === 'string';
  const body = text ? document : JSON.stringify(document);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const router = Router();
  const serve: RequestHandler = (_req, res) => {
    // express answers 304 itself when If-None-Match matches the ETag set here.
    res.set({ 'cache-control': `${guard ? 'private' : 'public'}, max-age=300`, etag, 'access-control-allow-origin': '*' }).type(text ? 'text/plain; charset=utf-8' : 'json').send(body);
  };
  if (guard) router.get(path, guard, serve);
  else router.get(path, serve);
  return router;
}
