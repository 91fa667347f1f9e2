/** The producer's REST calls the benches make, with the answer's status and the time it arrived. */
export interface TimedAnswer<T> {
  status: number;
  body: T;
  /** performance.now() when the whole answer was read. */
  at: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

let clients = 0;
/**
 * A client address of its own for each request, sent as X-Forwarded-For (the producer trusts it
 * from loopback, as from the ALB): a bench load is many clients, and measures the endpoint, not
 * the per-IP abuse limit a single address would meet. 198.18.0.0/15 is the range set aside for
 * benchmarks (RFC 2544).
 */
export function clientAddress(): string {
  clients = (clients + 1) % (2 * 65_536);
  return `198.${18 + (clients >> 16)}.${(clients >> 8) & 255}.${clients & 255}`;
}

async function postJson<T>(url: string, body: unknown): Promise<TimedAnswer<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress() }, body: JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  return { status: response.status, body: parsed, at: performance.now() };
}

/** The access token's `jti`: the id its `issued-token` event carries. */
export function jtiOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: string };
  if (!payload.jti) throw new Error('access token without a jti');
  return payload.jti;
}

export const PASSWORD = 'correct horse battery staple';

export function createProducerApi(producerUrl: string) {
  return {
    signUp: (username: string) => postJson<{ id: string }>(`${producerUrl}/users`, { username, email: `${username}@example.com`, password: PASSWORD }),
    login: (username: string) => postJson<TokenPair>(`${producerUrl}/auth/login`, { username, password: PASSWORD }),
    refresh: (refreshToken: string) => postJson<TokenPair>(`${producerUrl}/auth/refresh`, { refreshToken }),
  };
}

export type ProducerApi = ReturnType<typeof createProducerApi>;

/** A name no earlier run used, so sign-ups never collide (409) with leftovers. */
export const runTag = () => `b${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
