import { queryNumber } from '@herald/testing';
import fc from 'fast-check';
import { getNamedType, isInputObjectType, isNonNullType, isObjectType, type GraphQLArgument, type GraphQLField, type GraphQLNamedType } from 'graphql';
import { createPublicSchema } from '../src/read-api/graphql/create-public-yoga';
import { startSystem, type TestSystem } from './support/system';

const RUNS = 600;
// A value no answer may contain: it is only ever part of a request.
const MARKER = 's3cret-passw0rd';

// The schema's own words, so generated queries get past the parser often and reach validation,
// coercion and the resolvers, not only the lexer.
const schema = createPublicSchema();
const fieldNames = new Set<string>(['__typename', '__schema', '__type']);
const argumentNames = new Set<string>();
for (const type of Object.values(schema.getTypeMap())) {
  if (!isObjectType(type) || type.name.startsWith('__')) continue;
  for (const field of Object.values(type.getFields())) {
    fieldNames.add(field.name);
    for (const arg of field.args) argumentNames.add(arg.name);
  }
}
const field = fc.constantFrom(...fieldNames);
const printable = fc.stringMatching(/^[\x20-\x7e]{0,24}$/);
const literal = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('null', 'true', 'false', `"${MARKER}"`, '"6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11"', '{}', '[]', '$input', '$id', '$first'),
  printable.map((text) => JSON.stringify(text)),
  fc.dictionary(fc.constantFrom('username', 'email', 'password', 'firstName', 'x'), fc.constantFrom(`"${MARKER}"`, '"a@b.co"', '1', 'null')).map((object) => `{ ${Object.entries(object).map(([key, value]) => `${key}: ${value}`).join(', ')} }`),
);
const argumentsText = fc.array(fc.tuple(fc.constantFrom(...argumentNames, 'x'), literal), { maxLength: 3 }).map((args) => (args.length ? `(${args.map(([name, value]) => `${name}: ${value}`).join(', ')})` : ''));
const { selection } = fc.letrec<{ selection: string }>((tie) => ({
  selection: fc
    .array(
      fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        field,
        fc.tuple(fc.option(fc.constantFrom('a', 'b', 'c')), field, argumentsText, tie('selection')).map(([alias, name, args, inner]) => `${alias ? `${alias}: ` : ''}${name}${args} { ${inner} }`),
        fc.constantFrom('...on User { id }', '... @include(if: true) { id }', '@skip(if: $x)'),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((items) => items.join(' ')),
}));
/** A value for an argument of this type: often the right kind, sometimes not. */
function valueFor(arg: GraphQLArgument): fc.Arbitrary<string> {
  const named = getNamedType(arg.type);
  const right =
    named.name === 'Int' ? fc.integer({ min: -5, max: 200 }).map(String)
    : named.name === 'ID' ? fc.constantFrom('"6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11"', '"not-a-uuid"', `"${MARKER}"`)
    : isInputObjectType(named) ? fc.subarray(Object.values(named.getFields()).filter((inner) => !isNonNullType(inner.type)).map((inner) => inner.name))
        .map((optional) => [...Object.values(named.getFields()).filter((inner) => isNonNullType(inner.type)).map((inner) => inner.name), ...optional])
        .chain((keys) => fc.tuple(...keys.map(() => literal)).map((values) => `{ ${keys.map((key, i) => `${key}: ${values[i]}`).join(', ')} }`))
    : fc.oneof(printable.map((text) => JSON.stringify(text)), fc.constant(`"${MARKER}"`));
  return fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: literal });
}

/** Required arguments always (so most queries get past validation), optional ones sometimes. */
const argumentsFor = (field: GraphQLField<unknown, unknown>) =>
  fc
    .subarray(field.args.filter((arg) => !isNonNullType(arg.type)))
    .map((optional) => [...field.args.filter((arg) => isNonNullType(arg.type)), ...optional])
    .chain((args) => (args.length === 0 ? fc.constant('') : fc.tuple(...args.map(valueFor)).map((values) => `(${args.map((arg, i) => `${arg.name}: ${values[i]}`).join(', ')})`)));

/** A selection of this type's real fields, with arguments, to a depth that stays within the limits. */
function selectionOf(type: GraphQLNamedType, depth: number): fc.Arbitrary<string> {
  if (!isObjectType(type)) return fc.constant('');
  const fields = Object.values(type.getFields());
  if (depth === 0) return fc.constant('__typename');
  return fc
    .subarray(fields, { minLength: 1, maxLength: Math.min(3, fields.length) })
    .chain((chosen) =>
      fc.tuple(...chosen.map((one) => fc.tuple(argumentsFor(one), selectionOf(getNamedType(one.type), depth - 1)).map(([args, inner]) => `${one.name}${args}${inner ? ` { ${inner} }` : ''}`))),
    )
    .map((parts) => parts.join(' '));
}
const schemaQuery = fc.oneof(
  { weight: 3, arbitrary: selectionOf(schema.getQueryType()!, 3).map((inner) => `{ ${inner} }`) },
  { weight: 2, arbitrary: selectionOf(schema.getMutationType()!, 2).map((inner) => `mutation { ${inner} }`) },
);

const structured = fc
  .tuple(fc.constantFrom('', 'query', 'mutation', 'subscription', 'query Q($input: SignUpInput!, $id: ID!, $first: Int)', 'fragment F on User'), selection)
  .map(([operation, body]) => `${operation} { ${body} }`);
const junk = fc.array(fc.oneof(field, fc.constantFrom('{', '}', '(', ')', ':', '$', '!', '@', '...', '"', '#', '\\u0000', '"""'), printable), { maxLength: 40 }).map((tokens) => tokens.join(' '));
const query = fc.oneof({ weight: 4, arbitrary: schemaQuery }, { weight: 2, arbitrary: structured }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.string() });
const variables = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom('input', 'id', 'first', 'after', 'username', 'password', 'x'), fc.oneof(fc.jsonValue(), fc.constant(MARKER), fc.constant({ username: MARKER, email: MARKER, password: 12 }))),
  fc.jsonValue(),
);
const graphqlBody = fc.record({ query, variables, operationName: fc.option(fc.constantFrom('Q', 'F', 'x', ''), { nil: undefined }) }, { requiredKeys: ['query'] }).map((body) => JSON.stringify(body));
const body = fc.oneof(
  { weight: 6, arbitrary: graphqlBody },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: graphqlBody.map((text) => text.slice(0, Math.max(0, text.length - 3))) },
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/graphql-response+json',
  'application/graphql',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/octet-stream',
  undefined,
);
const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,40}$/);
const hostile = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'GET', 'PUT', 'DELETE', 'PATCH'),
  body,
  query,
  variables,
  contentType,
  accept: fc.constantFrom(undefined, 'application/json', 'application/graphql-response+json', '*/*', 'text/html', 'application/xml'),
  csrf: fc.boolean(),
  authorization: fc.option(fc.oneof(headerValue, headerValue.map((value) => `Bearer ${value}`)), { nil: undefined }),
  operatorToken: fc.option(headerValue, { nil: undefined }),
});
// Requests a client means to send, with generated queries and values: these reach validation,
// coercion, the resolvers, the read models and the producer.
const wellFormed = fc
  .record({
    query: fc.oneof({ weight: 4, arbitrary: schemaQuery }, { weight: 1, arbitrary: structured }),
    variables: fc.option(fc.dictionary(fc.constantFrom('input', 'id', 'first', 'after', 'x'), fc.oneof(fc.jsonValue(), fc.constant(MARKER))), { nil: undefined }),
    authorization: fc.option(headerValue.map((value) => `Bearer ${value}`), { nil: undefined }),
  })
  .map(({ query: text, variables: values, authorization }) => ({
    method: 'POST',
    body: JSON.stringify({ query: text, variables: values }),
    query: text,
    variables: values,
    contentType: 'application/json' as string | undefined,
    accept: undefined as string | undefined,
    csrf: false,
    authorization,
    operatorToken: undefined as string | undefined,
  }));
const request = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 2, arbitrary: hostile });

describe('GraphQL fuzz', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it(`${RUNS} generated requests: no 5xx, no internal error, nothing echoed, nothing stored for a refused one`, async () => {
    const usersBefore = await queryNumber(system.producerDatabaseUrl, 'SELECT count(*) FROM users');
    const failures: string[] = [];
    let sent = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        sent += 1;
        const headers: Record<string, string> = {};
        if (generated.contentType) headers['content-type'] = generated.contentType;
        if (generated.accept) headers.accept = generated.accept;
        if (generated.csrf) headers['x-graphql-yoga-csrf'] = '1';
        if (generated.authorization !== undefined) headers.authorization = generated.authorization;
        if (generated.operatorToken !== undefined) headers['x-operator-token'] = generated.operatorToken;
        const withBody = !['GET', 'HEAD'].includes(generated.method);
        const search = withBody ? '' : `?${new URLSearchParams({ query: generated.query, ...(generated.variables === undefined ? {} : { variables: JSON.stringify(generated.variables) }) })}`;
        const response = await fetch(`${system.consumerUrl}/graphql${search}`, { method: generated.method, headers, body: withBody ? generated.body : undefined, signal: AbortSignal.timeout(10_000) });
        const text = await response.text();
        const problems = [
          response.status >= 500 && `HTTP ${response.status}`,
          /INTERNAL_SERVER_ERROR|Unexpected error\./.test(text) && 'an internal error',
          text.includes(MARKER) && 'the request echoed',
        ].filter(Boolean);
        if (problems.length > 0) failures.push(`${problems.join(', ')}: ${generated.method} ${JSON.stringify(generated).slice(0, 300)} -> ${text.slice(0, 300)}`);
        if (/"signUp":\{"id"/.test(text)) accepted += 1;
        return problems.length === 0;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(failures).toEqual([]);
    expect(sent).toBe(RUNS);
    expect(await queryNumber(system.producerDatabaseUrl, 'SELECT count(*) FROM users')).toBe(usersBefore + accepted);
  }, 300_000);
});
