/** Small JSON-over-HTTP helpers for tests against running services. */
export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function request<T = any>(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (e.g. /metrics): keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Polls `probe` until it returns true; for states that have no event to await (readiness, counts). */
export async function eventually(probe: () => Promise<boolean>, { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const isReady = (baseUrl: string) => async () => (await request(baseUrl, 'GET', '/ready')).status === 200;

let counter = 0;
/** A valid, unique sign-up body. */
export function newUser(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const id = `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
  return { username: `user_${id}`, email: `user.${id}@example.com`, password: `correct horse ${id}`, firstName: 'Ada', lastName: 'Lovelace', ...overrides };
}
