import { expectInContract } from './support/contract';

// The check every REST test's answers go through (support/contract.ts) must fail on each way an
// answer can leave the OpenAPI document; otherwise those tests prove nothing about it.
describe('the check of answers against the producer OpenAPI document', () => {
  const user = { id: '0b9f8e3a-3c55-4a38-9d8e-7b8f0c1d2e3f', username: 'ada', email: 'ada@example.com', firstName: null, lastName: null, createdAt: '2026-12-07T10:00:00.000Z' };
  const refusal = { error: { code: 'BAD_USER_INPUT', message: 'Invalid request body: email is required', details: [{ path: 'email', message: 'is required' }] } };

  it('lets through answers the document lists, with their bodies', () => {
    expect(() => expectInContract('POST', '/users', { status: 201, body: user })).not.toThrow();
    expect(() => expectInContract('POST', '/users', { status: 400, body: refusal })).not.toThrow();
    expect(() => expectInContract('GET', `/users/${user.id}?x=1`, { status: 200, body: { ...user, email: undefined } })).not.toThrow();
    expect(() => expectInContract('DELETE', `/posts/${user.id}`, { status: 204, body: '' })).not.toThrow();
    expect(() => expectInContract('GET', '/nowhere', { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No such route' } } })).not.toThrow();
  });

  it('fails a status the route does not list', () => {
    expect(() => expectInContract('POST', '/users', { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal server error' } } })).toThrow(
      'POST /users answered 500, which docs/contracts/openapi.json does not list for it (it lists 201, 400, 409, 413, 415, 429, 503)',
    );
  });

  it('fails a body the response schema does not allow', () => {
    expect(() => expectInContract('POST', '/users', { status: 201, body: { ...user, id: 'not-a-uuid' } })).toThrow(/POST \/users answered 201 with a body .* does not allow: .*id must match format "uuid"/);
    expect(() => expectInContract('POST', '/users', { status: 400, body: { message: 'no envelope' } })).toThrow(/must have required property 'error'/);
  });

  it('fails a body where the document says there is none, and an answer of a route it does not have', () => {
    expect(() => expectInContract('DELETE', `/posts/${user.id}`, { status: 204, body: 'surprise' })).toThrow('with a body, where docs/contracts/openapi.json says it has none');
    expect(() => expectInContract('GET', '/nowhere', { status: 200, body: {} })).toThrow('GET /nowhere answered 200, but no route of docs/contracts/openapi.json is that');
    expect(() => expectInContract('PUT', '/users', { status: 200, body: user })).toThrow('PUT /users answered 200, but no route');
  });
});
