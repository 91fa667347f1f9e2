import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * Watches the consumer's `userCreated` (public, /graphql) and `tokenIssued` (every user's, on the
 * operators' /ops/graphql) subscriptions over graphql-ws, which it pushes as its live feed reads
 * each event from Kafka, and remembers when each user id and token id became visible. No polling
 * interval is added to what is measured. Every user's logins are for operators only: the
 * operator token goes in that socket's connection params.
 */
export async function watchVisibility(consumerUrl: string, operatorToken: string | undefined) {
  const seenAt = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const socket = (endpoint: string, connectionParams: Record<string, string>) =>
    createClient({ url: `${consumerUrl.replace(/^http/, 'ws')}${endpoint}`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams });
  const clients = { users: socket('/graphql', {}), tokens: socket('/ops/graphql', operatorToken ? { 'x-operator-token': operatorToken } : {}) };
  const errors: unknown[] = [];
  const mark = (key: string | undefined) => {
    if (!key || seenAt.has(key)) return;
    seenAt.set(key, performance.now());
    waiters.get(key)?.();
    waiters.delete(key);
  };
  const subscribed = (client: Client, query: string, pick: (data: any) => string | undefined) =>
    new Promise<() => void>((resolveSubscribed, reject) => {
      let acknowledged = false;
      const unsubscribe = client.subscribe(
        { query },
        {
          next: (value) => mark(pick(value.data)),
          error: (error) => (acknowledged ? errors.push(error) : reject(error instanceof Error ? error : new Error(JSON.stringify(error)))),
          complete: () => {},
        },
      );
      // graphql-ws has no "subscribed" callback; the connection's ack plus a round trip is enough
      // for yoga to have registered the pubsub listener.
      client.on('connected', () => {
        acknowledged = true;
        setTimeout(() => resolveSubscribed(unsubscribe), 200);
      });
    });
  const stops = await Promise.all([
    subscribed(clients.users, 'subscription { userCreated { id } }', (data) => data?.userCreated?.id),
    subscribed(clients.tokens, 'subscription { tokenIssued { jti } }', (data) => data?.tokenIssued?.jti),
  ]);
  return {
    seenAt,
    errors,
    /** Resolves once every key was seen, or when the time is up (the rest count as undelivered). */
    async waitFor(keys: string[], timeoutMs: number): Promise<void> {
      const missing = keys.filter((key) => !seenAt.has(key));
      if (missing.length === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(missing.map((key) => new Promise<void>((resolveSeen) => waiters.set(key, resolveSeen)))),
        new Promise<void>((resolveTimeout) => (timer = setTimeout(resolveTimeout, timeoutMs))),
      ]);
      clearTimeout(timer);
    },
    async close(): Promise<void> {
      for (const stop of stops) stop();
      await Promise.all([clients.users.dispose(), clients.tokens.dispose()]);
    },
  };
}

export type VisibilityWatcher = Awaited<ReturnType<typeof watchVisibility>>;
