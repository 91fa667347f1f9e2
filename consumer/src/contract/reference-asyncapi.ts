import { loadConfig } from '../config';
import { asyncApiSettingsOf, buildAsyncApi, renderAsyncApi } from './build-asyncapi';

/** Where the checked-in contract lives, from the repository's root. */
export const ASYNCAPI_FILE = 'docs/contracts/asyncapi.json';

/**
 * The checked-in contract: the document of a consumer with default settings (no topic or group
 * prefix), without the replication factor, which each deployment sets. The database URL is
 * required by the config and appears nowhere in the document.
 */
export function referenceAsyncApi(): string {
  const config = loadConfig({ DATABASE_URL: 'postgres://localhost/herald_consumer' });
  return renderAsyncApi(buildAsyncApi({ ...asyncApiSettingsOf(config), replicas: undefined }));
}
