// `npm run contracts`: writes the contracts generated from the code's own schemas: the AsyncAPI
// document for every topic (docs/contracts/asyncapi.json, from libs/events' zod schemas), and the
// two GraphQL schemas as printed (docs/contracts/public.graphql, ops.graphql) with their resolvers'
// TypeScript types (consumer/src/*/graphql/generated/). Tests fail while a checked-in file differs
// from what this writes (docs/architecture.md, "Contracts").
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ASYNCAPI_FILE, graphqlContracts, referenceAsyncApi } from '@herald/consumer/tools';

const root = join(__dirname, '..');
const write = (file: string, content: string) => {
  const target = join(root, file);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  console.log(`wrote ${file}`);
};

async function main() {
  write(ASYNCAPI_FILE, referenceAsyncApi());
  for (const { file, content } of await graphqlContracts()) write(file, content);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
