import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { OPENAPI_FILE, producerOpenApi } from '@herald/producer/tools';
import { GENERATED_FILES, generatedContracts } from './generated-contracts';

describe('the generated contracts (npm run contracts)', () => {
  let generated: Map<string, string>;
  beforeAll(async () => {
    generated = new Map((await generatedContracts()).map(({ file, content }) => [file, content]));
  }, 60_000);

  it('are the AsyncAPI and OpenAPI documents, the consumer types of the latter, and each GraphQL endpoint\'s printed schema and resolvers\' types', () => {
    expect([...generated.keys()].sort()).toEqual([...GENERATED_FILES].sort());
  });

  it.each(GENERATED_FILES)('%s is checked in as npm run contracts writes it', (file) => {
    const path = join(__dirname, '..', '..', file);
    const checkedIn = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    // A plain comparison rather than toEqual: the message names the way out.
    if (checkedIn !== generated.get(file)) throw new Error(`${file} is stale: run \`npm run contracts\` and commit the result.`);
  });
});

describe('the producer OpenAPI contract', () => {
  it("is valid OpenAPI 3.1: Redocly's recommended rules find no error", async () => {
    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license': 'off', 'security-defined': 'off' } });
    const problems = await lintFromString({ source: JSON.stringify(producerOpenApi()), absoluteRef: OPENAPI_FILE, config });
    expect(problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`)).toEqual([]);
  });
});
