// `npm run contracts`: writes the contracts generated from the code's own schemas: the AsyncAPI
// document for every topic (docs/contracts/asyncapi.json, from libs/events' zod schemas). A test
// fails while the checked-in file differs from what this writes (docs/architecture.md, "Contracts").
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ASYNCAPI_FILE, referenceAsyncApi } from '@herald/consumer/tools';

const target = join(__dirname, '..', ASYNCAPI_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, referenceAsyncApi());
console.log(`wrote ${ASYNCAPI_FILE}`);
