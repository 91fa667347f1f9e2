// `npm run contracts`: writes the contracts generated from the code's own schemas, and what is
// generated from them in turn (scripts/contracts/generated-contracts.ts):
// - docs/contracts/asyncapi.json, every topic and event (libs/events' zod schemas);
// - docs/contracts/openapi.json, the producer's REST API (the zod schemas its routes validate with),
//   and consumer/src/producer/producer-api.ts, the consumer's types of it (openapi-typescript);
// - docs/contracts/public.graphql and ops.graphql, the two GraphQL schemas as printed, with their
//   resolvers' TypeScript types (consumer/src/*/graphql/generated/, GraphQL Code Generator).
// Tests fail while a checked-in file differs from what this writes (docs/architecture.md, "Contracts").
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedContracts } from './contracts/generated-contracts';

async function main() {
  for (const { file, content } of await generatedContracts()) {
    const target = join(__dirname, '..', file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`wrote ${file}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
