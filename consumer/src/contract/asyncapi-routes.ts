import { createDocumentRoutes } from '@herald/http';
import type { Router } from 'express';
import type { AsyncApiDocument } from './build-asyncapi';

/** The contract's stable URL (README, docs/architecture.md). */
export const ASYNCAPI_PATH = '/asyncapi.json';

/** GET /asyncapi.json: the AsyncAPI document of this deployment (its topic names, groups and replication). */
export function createAsyncApiRoutes({ document }: { document: AsyncApiDocument }): Router {
  return createDocumentRoutes({ path: ASYNCAPI_PATH, document });
}
