import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { AsyncApiDocument } from './build-asyncapi';

/** The contract's stable URL (README, docs/architecture.md). */
export const ASYNCAPI_PATH = '/asyncapi.json';

/**
 * GET /asyncapi.json: the AsyncAPI document of this deployment (its topic names, groups and
 * replication), serialised once. Public like the topics' schemas it states, readable from any
 * origin (an AsyncAPI viewer in the browser), cacheable, with an ETag for revalidation.
 */
export function createAsyncApiRoutes({ document }: { document: AsyncApiDocument }): Router {
  const body = JSON.stringify(document);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const router = Router();
  router.get(ASYNCAPI_PATH, (_req, res) => {
    // express answers 304 itself when If-None-Match matches the ETag set here.
    res.set({ 'cache-control': 'public, max-age=300', etag, 'access-control-allow-origin': '*' }).type('json').send(body);
  });
  return router;
}
