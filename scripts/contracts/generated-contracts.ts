import { ASYNCAPI_FILE, graphqlContracts, referenceAsyncApi } from '@herald/consumer/tools';
import { OPENAPI_FILE, producerOpenApi } from '@herald/producer/tools';
import { PRODUCER_API_TYPES_FILE, producerApiTypes } from './producer-api-types';

/** Every file `npm run contracts` writes, from the repository's root. */
export const GENERATED_FILES = [
  ASYNCAPI_FILE,
  OPENAPI_FILE,
  PRODUCER_API_TYPES_FILE,
  'docs/contracts/public.graphql',
  'consumer/src/read-api/graphql/generated/resolvers-types.ts',
  'docs/contracts/ops.graphql',
  'consumer/src/ops/graphql/generated/resolvers-types.ts',
];

/**
 * The contracts generated from the code's own schemas, and what is generated from them in turn,
 * with the text each file must hold: what `npm run contracts` writes and the staleness test
 * (scripts/contracts/contracts.test.ts) compares.
 */
export async function generatedContracts(): Promise<Array<{ file: string; content: string }>> {
  const openApi = producerOpenApi();
  return [
    { file: ASYNCAPI_FILE, content: referenceAsyncApi() },
    { file: OPENAPI_FILE, content: `${JSON.stringify(openApi, null, 2)}\n` },
    { file: PRODUCER_API_TYPES_FILE, content: await producerApiTypes(openApi) },
    ...(await graphqlContracts()),
  ];
}
