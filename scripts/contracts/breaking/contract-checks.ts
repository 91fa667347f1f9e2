import { asyncApiBreaking } from './asyncapi-breaking';
import { graphqlBreaking } from './graphql-breaking';
import { openApiBreaking } from './openapi-breaking';

/** Each checked-in contract, and the check of a change to it (docs/architecture.md, "Contracts"). */
export const CONTRACT_CHECKS: Array<{ file: string; tool: string; breaking(base: string, current: string, tools: { oasdiff: () => string }): Promise<string[]> | string[] }> = [
  { file: 'docs/contracts/asyncapi.json', tool: '@asyncapi/diff', breaking: asyncApiBreaking },
  { file: 'docs/contracts/openapi.json', tool: 'oasdiff', breaking: (base, current, { oasdiff }) => openApiBreaking(base, current, oasdiff()) },
  { file: 'docs/contracts/public.graphql', tool: 'graphql-inspector', breaking: graphqlBreaking },
  { file: 'docs/contracts/ops.graphql', tool: 'graphql-inspector', breaking: graphqlBreaking },
];
