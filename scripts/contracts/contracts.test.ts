import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { OPENAPI_FILE, producerOpenApi } from '@herald/producer/tools';
import { PRODUCER_API_TYPES_FILE, producerApiTypes } from './producer-api-types';

const checkedIn = (file: string) => readFileSync(join(__dirname, '..', '..', file), 'utf8');
// A plain comparison rather than toEqual: the message names the way out.
const expectCurrent = (file: string, generated: string) => {
  if (checkedIn(file) !== generated) throw new Error(`${file} is stale: run \`npm run contracts\` and commit the result.`);
};

describe('the producer OpenAPI contract', () => {
  const document = producerOpenApi();

  it('is checked in as npm run contracts writes it, and so are the consumer types generated from it', async () => {
    expectCurrent(OPENAPI_FILE, `${JSON.stringify(document, null, 2)}\n`);
    expectCurrent(PRODUCER_API_TYPES_FILE, await producerApiTypes(document));
  });

  it("is valid OpenAPI 3.1: Redocly's recommended rules find no error", async () => {
    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license': 'off', 'security-defined': 'off' } });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: OPENAPI_FILE, config });
    expect(problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`)).toEqual([]);
  });
});
