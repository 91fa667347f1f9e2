import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlContracts } from './graphql-contracts';

const ROOT = join(__dirname, '..', '..', '..');
const GENERATED = ['docs/contracts/public.graphql', 'docs/contracts/ops.graphql', 'consumer/src/read-api/graphql/generated/resolvers-types.ts', 'consumer/src/ops/graphql/generated/resolvers-types.ts'];

describe('the GraphQL contracts', () => {
  let generated: Map<string, string>;
  beforeAll(async () => {
    generated = new Map((await graphqlContracts()).map(({ file, content }) => [file, content]));
  }, 60_000);

  it('are the printed schema and the resolvers\' types of each endpoint', () => {
    expect([...generated.keys()].sort()).toEqual([...GENERATED].sort());
  });

  it.each(GENERATED)('%s is checked in as npm run contracts writes it', (file) => {
    const path = join(ROOT, file);
    const checkedIn = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    // A plain comparison rather than toEqual: the message names the way out.
    if (checkedIn !== generated.get(file)) throw new Error(`${file} is stale: run \`npm run contracts\` and commit the result.`);
  });
});
