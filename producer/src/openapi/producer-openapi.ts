import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { loginSchema, passwordChangeSchema, refreshSchema } from '../auth/auth-schemas';
import { followSchema as followRequestSchema, newPostSchema } from '../feed/feed-schemas';
import { keysRequestSchema } from '../personal-data/user-keys-routes';
import { accountDeletionSchema, profileChangeSchema, signUpSchema } from '../users/user-schemas';
import {
  endedSessionsSchema,
  errorSchema,
  followSchema,
  healthSchema,
  jwksSchema,
  pingSchema,
  postSchema,
  publicUserSchema,
  tokenPairSchema,
  userKeysAnswerSchema,
  userProfileSchema,
} from './api-schemas';

/** Where every producer serves this document. */
export const OPENAPI_PATH = '/openapi.json';

/** Where the checked-in document lives, from the repository's root; `npm run contracts` writes it. */
export const OPENAPI_FILE = 'docs/contracts/openapi.json';

// Every refusal a route can give, in the one error shape, as a named response. A status not
// listed for a route is a defect of the route or of this document: the REST tests fail on either.
const REFUSALS = {
  400: ['BadRequest', 'The input breaks a rule; `details` names each field at fault.'],
  401: ['Unauthenticated', 'No valid credential: a missing, expired or ended-session access token, or a wrong password at login.'],
  403: ['Forbidden', 'The credential is valid but does not allow this (a wrong current password, another user’s post).'],
  404: ['NotFound', 'No such resource.'],
  409: ['Conflict', 'The username or e-mail is already taken.'],
  413: ['PayloadTooLarge', 'The body is larger than the limit (BODY_LIMIT_BYTES).'],
  415: ['UnsupportedMediaType', 'The body is not JSON, or not UTF-8, or its Content-Encoding is not supported.'],
  429: ['RateLimited', 'Too many requests from this client or account; retry after the `Retry-After` seconds.'],
  503: ['Unavailable', 'The database (or the abuse limits kept in it) cannot be reached; retry shortly.'],
} as const;
type Refusal = keyof typeof REFUSALS;

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const refusals = (statuses: Refusal[]) => Object.fromEntries(statuses.map((status) => [status, { $ref: `#/components/responses/${REFUSALS[status][0]}` }]));
// What any route with a JSON body can be refused for before it runs.
const WITH_BODY: Refusal[] = [400, 413, 415];
const body = (schema: z.ZodType) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const user = [{ accessToken: [] }];

// Request bodies by name (once: zod's registry of ids is global), so generated clients get named types.
const named = <S extends z.ZodType>(id: string, schema: S) => schema.meta({ id });
const signUp = named('SignUp', signUpSchema);
const profileChange = named('ProfileChange', profileChangeSchema);
const accountDeletion = named('AccountDeletion', accountDeletionSchema);
const login = named('Login', loginSchema);
const refresh = named('Refresh', refreshSchema);
const passwordChange = named('PasswordChange', passwordChangeSchema);
const newPost = named('NewPost', newPostSchema);
const followRequest = named('FollowRequest', followRequestSchema);
const keysRequest = named('UserKeysRequest', keysRequestSchema);

export function producerOpenApi(): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'accessToken', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from /auth/login or /auth/refresh.' });
  registry.registerComponent('securitySchemes', 'userKeysToken', { type: 'http', scheme: 'bearer', description: 'USER_KEYS_TOKEN, held by the consumer alone.' });
  registry.registerComponent('securitySchemes', 'operatorToken', { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN (or the x-operator-token header).' });

  const { $schema: _dialect, ...errorJsonSchema } = z.toJSONSchema(errorSchema, { target: 'draft-2020-12' });
  const error = registry.registerComponent('schemas', 'Error', errorJsonSchema as Parameters<OpenAPIRegistry['registerComponent']>[2]).ref;
  for (const [status, [name, description]] of Object.entries(REFUSALS)) {
    const retryAfter = status === '429' ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' as const } } } } : {};
    registry.registerComponent('responses', name, { description, content: { 'application/json': { schema: error } }, ...retryAfter });
  }

  const path = (route: RouteConfig) => registry.registerPath(route);

  path({ method: 'post', path: '/users', operationId: 'signUp', tags: ['users'], summary: 'Sign up', request: body(signUp), responses: { 201: json(publicUserSchema, 'The new user; `Location` names it.'), ...refusals([...WITH_BODY, 409, 429, 503]) } });
  path({ method: 'patch', path: '/users/me', operationId: 'updateProfile', tags: ['users'], summary: 'Change the caller’s username, e-mail (with the current password) or names', security: user, request: body(profileChange), responses: { 200: json(publicUserSchema, 'The user as changed.'), ...refusals([...WITH_BODY, 401, 403, 404, 409, 429, 503]) } });
  path({ method: 'delete', path: '/users/me', operationId: 'deleteAccount', tags: ['users'], summary: 'Delete the caller’s account, with the current password', security: user, request: body(accountDeletion), responses: { 204: { description: 'Deleted, with every session, post and follow.' }, ...refusals([...WITH_BODY, 401, 403, 429, 503]) } });
  path({ method: 'get', path: '/users/{id}', operationId: 'getUser', tags: ['users'], summary: 'A user: whole to its owner, the profile to anyone else', security: user, request: { params: z.object({ id: z.uuid().meta({ description: 'The user’s id' }) }) }, responses: { 200: json(z.union([publicUserSchema, userProfileSchema]), 'The user.'), ...refusals([400, 401, 404, 503]) } });

  path({ method: 'post', path: '/auth/login', operationId: 'login', tags: ['auth'], summary: 'Log in: a new session', request: body(login), responses: { 200: json(tokenPairSchema, 'The session’s tokens.'), ...refusals([...WITH_BODY, 401, 429, 503]) } });
  path({ method: 'post', path: '/auth/refresh', operationId: 'refresh', tags: ['auth'], summary: 'New tokens for a refresh token (used once; reuse ends the session)', request: body(refresh), responses: { 200: json(tokenPairSchema, 'The session’s new tokens.'), ...refusals([...WITH_BODY, 401, 429, 503]) } });
  path({ method: 'post', path: '/auth/logout', operationId: 'logout', tags: ['auth'], summary: 'End the access token’s session', security: user, responses: { 200: json(endedSessionsSchema, 'How many sessions ended.'), ...refusals([401, 415, 429, 503]) } });
  path({ method: 'post', path: '/auth/logout-all', operationId: 'logoutEverywhere', tags: ['auth'], summary: 'End every session of the caller', security: user, responses: { 200: json(endedSessionsSchema, 'How many sessions ended.'), ...refusals([401, 415, 429, 503]) } });
  path({ method: 'post', path: '/auth/password', operationId: 'changePassword', tags: ['auth'], summary: 'Change the password; every other session ends', security: user, request: body(passwordChange), responses: { 200: json(endedSessionsSchema, 'How many other sessions ended.'), ...refusals([...WITH_BODY, 401, 403, 429, 503]) } });
  path({ method: 'get', path: '/.well-known/jwks.json', operationId: 'jwks', tags: ['auth'], summary: 'The public keys access tokens are signed with', responses: { 200: json(jwksSchema, 'Cache for up to 300 s; fetch again on an unknown `kid`.') } });

  path({ method: 'post', path: '/posts', operationId: 'createPost', tags: ['feed'], summary: 'Post', security: user, request: body(newPost), responses: { 201: json(postSchema, 'The post; `Location` names it.'), ...refusals([...WITH_BODY, 401, 429, 503]) } });
  path({ method: 'get', path: '/posts/{id}', operationId: 'getPost', tags: ['feed'], summary: 'One post', security: user, request: { params: z.object({ id: z.uuid().meta({ description: 'The post’s id' }) }) }, responses: { 200: json(postSchema, 'The post.'), ...refusals([400, 401, 404, 503]) } });
  path({ method: 'delete', path: '/posts/{id}', operationId: 'deletePost', tags: ['feed'], summary: 'Delete one of the caller’s posts', security: user, request: { params: z.object({ id: z.uuid().meta({ description: 'The post’s id' }) }) }, responses: { 204: { description: 'Deleted; it leaves every feed.' }, ...refusals([400, 401, 403, 404, 429, 503]) } });
  path({ method: 'post', path: '/follows', operationId: 'follow', tags: ['feed'], summary: 'Follow a user', security: user, request: body(followRequest), responses: { 201: json(followSchema, 'The follow.'), ...refusals([...WITH_BODY, 401, 404, 429, 503]) } });
  path({ method: 'delete', path: '/follows/{followeeId}', operationId: 'unfollow', tags: ['feed'], summary: 'Stop following a user', security: user, request: { params: z.object({ followeeId: z.uuid().meta({ description: 'The followed user’s id' }) }) }, responses: { 204: { description: 'Not followed any more (also when it was not).' }, ...refusals([400, 401, 404, 429, 503]) } });

  path({ method: 'post', path: '/internal/user-keys', operationId: 'userKeys', tags: ['internal'], summary: 'Users’ data keys, for the consumer to open sealed event fields', security: [{ userKeysToken: [] }], request: body(keysRequest), responses: { 200: json(userKeysAnswerSchema, 'The keys of the users that exist.'), ...refusals([...WITH_BODY, 401, 403, 503]) } });

  path({ method: 'get', path: '/ping', operationId: 'ping', tags: ['health'], summary: 'Who answers (service discovery checks)', responses: { 200: json(pingSchema, 'This process.') } });
  path({ method: 'get', path: '/health', operationId: 'health', tags: ['health'], summary: 'Liveness', responses: { 200: json(healthSchema, 'Alive.'), 503: json(healthSchema, 'A liveness check fails.') } });
  path({ method: 'get', path: '/ready', operationId: 'ready', tags: ['health'], summary: 'Readiness: database and broker reachable', responses: { 200: json(healthSchema, 'Ready.'), 503: json(healthSchema, 'Not ready; `checks` says what fails.') } });
  path({ method: 'get', path: '/metrics', operationId: 'metrics', tags: ['health'], summary: 'Prometheus metrics, for operators', security: [{ operatorToken: [] }], responses: { 200: { description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } }, ...refusals([401, 403]) } });
  path({ method: 'get', path: OPENAPI_PATH, operationId: 'openApi', tags: ['health'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Herald producer',
      version: '1.0.0',
      description: 'Users, sessions, posts and follows. Every write also publishes its event through the outbox (docs/contracts/asyncapi.json). Errors are always `{error: {code, message, details?}}` and never quote the request.',
    },
    servers: [{ url: 'http://producer.herald.local:9001', description: 'Inside the cluster (ECS service discovery); `npm start` serves it at http://127.0.0.1:9001' }],
  }) as unknown as Record<string, unknown>;
}
