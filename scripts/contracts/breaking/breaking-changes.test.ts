import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolTest } from '../../deploy-checks/deploy-files';
import { asyncApiBreaking } from './asyncapi-breaking';
import { graphqlBreaking } from './graphql-breaking';
import { openApiBreaking } from './openapi-breaking';

// Each check of `npm run contracts:breaking`, on the checked-in contract and a deliberately
// changed copy of it: every break is caught, and every change the rules allow goes through.
const contract = (file: string) => readFileSync(join(__dirname, '..', '..', '..', 'docs', 'contracts', file), 'utf8');
const changed = (file: string, change: (document: any) => void) => {
  const document = JSON.parse(contract(file));
  change(document);
  return JSON.stringify(document);
};

describe('breaking changes to the AsyncAPI contract (@asyncapi/diff, the event-version rule)', () => {
  const base = contract('asyncapi.json');
  const postDeleted = (document: any) => document.components.schemas['post-deleted'];

  it('finds none in the contract as it is', () => {
    expect(asyncApiBreaking(base, base)).toEqual([]);
  });

  it('catches a topic removed, and a payload field removed or retyped without a new version', () => {
    expect(asyncApiBreaking(base, changed('asyncapi.json', (document) => delete document.channels.postDeleted))).toEqual(['remove /channels/postDeleted']);
    expect(
      asyncApiBreaking(
        base,
        changed('asyncapi.json', (document) => {
          delete postDeleted(document).properties.payload.properties.authorId;
          postDeleted(document).properties.payload.properties.deletedAt.type = 'number';
        }),
      ).sort(),
    ).toEqual(['edit /components/schemas/post-deleted/properties/payload/properties/deletedAt/type', 'remove /components/schemas/post-deleted/properties/payload/properties/authorId']);
  });

  it('lets through a new field, prose, and any change that comes with a new version of the event', () => {
    const added = changed('asyncapi.json', (document) => {
      postDeleted(document).properties.payload.properties.reason = { type: 'string' };
      postDeleted(document).properties.payload.description = 'Reworded for readers.';
    });
    expect(asyncApiBreaking(base, added)).toEqual([]);
    const newVersion = changed('asyncapi.json', (document) => {
      delete postDeleted(document).properties.payload.properties.authorId;
      postDeleted(document).properties.version.const = postDeleted(document).properties.version.const + 1;
    });
    expect(asyncApiBreaking(base, newVersion)).toEqual([]);
  });
});

describe('breaking changes to the GraphQL contracts (graphql-inspector, deprecate first)', () => {
  const base = contract('public.graphql');

  it('finds none in the schemas as they are', async () => {
    expect(await graphqlBreaking(base, base)).toEqual([]);
    expect(await graphqlBreaking(contract('ops.graphql'), contract('ops.graphql'))).toEqual([]);
  });

  it('catches a field removed and an argument made required', async () => {
    const removed = base.replace('  user(id: ID!): User\n', '');
    expect(await graphqlBreaking(base, removed)).toEqual([expect.stringMatching(/^Query\.user: Field 'user' .*removed/)]);
    const required = base.replace('  user(id: ID!): User', '  user(id: ID!, at: String!): User');
    expect(await graphqlBreaking(base, required)).toEqual(["Query.user.at: Argument 'at: String!' added to field 'Query.user'"]);
  });

  it('lets through a new field, and the removal of a field deprecated before', async () => {
    expect(await graphqlBreaking(base, base.replace('  user(id: ID!): User\n', '  user(id: ID!): User\n  version: String\n'))).toEqual([]);
    const deprecated = base.replace('  user(id: ID!): User\n', '  user(id: ID!): User @deprecated(reason: "use users")\n');
    expect(await graphqlBreaking(deprecated, base.replace('  user(id: ID!): User\n', ''))).toEqual([]);
  });
});

describe('breaking changes to the OpenAPI contract (oasdiff, deprecate first)', () => {
  const base = contract('openapi.json');

  toolTest('oasdiff finds none in the contract as it is, catches a route removed, a request field made required and a response field made optional', 'oasdiff', (oasdiff) => {
    expect(openApiBreaking(base, base, oasdiff)).toEqual([]);
    const broken = changed('openapi.json', (document) => {
      delete document.paths['/posts/{id}'].get;
      document.components.schemas.SignUp.required.push('firstName');
      document.components.schemas.Post.required = document.components.schemas.Post.required.filter((name: string) => name !== 'title');
    });
    expect(openApiBreaking(base, broken, oasdiff).sort()).toEqual([
      expect.stringMatching(/^GET \/posts\/\{id\}: .*\[api-removed-without-deprecation\]$/),
      expect.stringMatching(/^POST \/posts: .*`title`.*optional.*\[response-property-became-optional\]$/),
      expect.stringMatching(/^POST \/users: .*`firstName`.*required.*\[request-property-became-required\]$/),
    ]);
  });

  toolTest('oasdiff lets through a new route, and the removal of a route deprecated before', 'oasdiff', (oasdiff) => {
    const added = changed('openapi.json', (document) => (document.paths['/version'] = { get: { operationId: 'version', responses: { 200: { description: 'ok' } } } }));
    expect(openApiBreaking(base, added, oasdiff)).toEqual([]);
    const deprecated = changed('openapi.json', (document) => (document.paths['/posts/{id}'].get.deprecated = true));
    const removed = changed('openapi.json', (document) => delete document.paths['/posts/{id}'].get);
    expect(openApiBreaking(deprecated, removed, oasdiff)).toEqual([]);
  });
});
