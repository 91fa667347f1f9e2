import { request as send, type JsonResponse } from '@herald/testing';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OPENAPI_FILE, producerOpenApi } from '../../src/openapi/producer-openapi';

interface Response {
  $ref?: string;
  content?: Record<string, unknown>;
}
type Operation = { responses: Record<string, Response> };
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Response> };
}

const DOCUMENT_ID = 'openapi.json';
const document = producerOpenApi() as unknown as Document;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// zod's name for an RFC 4648 §5 string; OpenAPI lets a format be any name.
ajv.addFormat('base64url', /^[A-Za-z0-9_-]*$/);
ajv.addSchema(document, DOCUMENT_ID);

/** A JSON pointer into the document (RFC 6901). */
const pointer = (...segments: string[]) => `${DOCUMENT_ID}#/${segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
const validatorAt = (at: string) => {
  let validate = validators.get(at);
  if (!validate) validators.set(at, (validate = ajv.compile({ $ref: at })));
  return validate;
};

// Path templates as patterns: `/users/{id}` matches `/users/<anything but a slash>`.
const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/**
 * Throws unless the answer is one the producer's OpenAPI document lists for that route: its status
 * among the route's responses, its body valid against that response's schema (or empty where the
 * response has none). A path no route has must be a 404 in the error shape.
 */
export function expectInContract(method: string, url: string, { status, body }: Pick<JsonResponse, 'status' | 'body'>): void {
  const path = decodeURI(url.split('?')[0]!);
  const template = templates.find(({ pattern }) => pattern.test(path))?.template;
  const operation = template ? document.paths[template]![method.toLowerCase()] : undefined;
  const where = `${method} ${template ?? path} answered ${status}`;
  if (!template || !operation) {
    if (status !== 404 || !validatorAt(pointer('components', 'schemas', 'Error'))(body)) throw new Error(`${where}, but no route of ${OPENAPI_FILE} is that: only a 404 in the error shape is`);
    return;
  }
  let at = ['paths', template, method.toLowerCase(), 'responses', String(status)];
  let response = operation.responses[String(status)];
  if (!response) throw new Error(`${where}, which ${OPENAPI_FILE} does not list for it (it lists ${Object.keys(operation.responses).join(', ')})`);
  if (response.$ref) {
    const name = response.$ref.split('/').at(-1)!;
    at = ['components', 'responses', name];
    response = document.components.responses[name]!;
  }
  if (!response.content) {
    if (body !== '') throw new Error(`${where} with a body, where ${OPENAPI_FILE} says it has none`);
    return;
  }
  const mediaType = Object.keys(response.content)[0]!;
  const validate = validatorAt(pointer(...at, 'content', mediaType, 'schema'));
  if (!validate(body)) throw new Error(`${where} with a body ${OPENAPI_FILE} does not allow: ${ajv.errorsText(validate.errors)}`);
}

/** `request` of @herald/testing, with every answer checked against the OpenAPI document. */
export async function request<T = any>(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
  const answer = await send<T>(baseUrl, method, path, body, headers);
  expectInContract(method, path, answer);
  return answer;
}
