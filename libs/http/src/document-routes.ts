import { createHash } from 'node:crypto';
import { Router } from 'express';

/**
 * GET `path`: a contract document (OpenAPI, AsyncAPI), serialised once. Public like the schemas it
 * states, readable from any origin (a viewer in the browser), cacheable, with an ETag for
 * revalidation.
 */
export function createDocumentRoutes({ path, document }: { path: string; document: unknown }): Router {
  const body = JSON.stringify(document);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const router = Router();
  router.get(path, (_req, res) => {
    // express answers 304 itself when If-None-Match matches the ETag set here.
    res.set({ 'cache-control': 'public, max-age=300', etag, 'access-control-allow-origin': '*' }).type('json').send(body);
  });
  return router;
}
