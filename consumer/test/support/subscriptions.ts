import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PUBLIC_GRAPHQL } from './graphql';

export interface Subscriber {
  /** `data` of every event pushed so far. */
  received: any[];
  /** Errors the server sent for this subscription. */
  errors: unknown[];
  close(): Promise<void>;
}

/** A graphql-ws client on the consumer's public endpoint, or another (OPS_GRAPHQL); one socket, several subscriptions. */
export function wsClient(consumerUrl: string, connectionParams: Record<string, string> = {}, endpoint = PUBLIC_GRAPHQL) {
  let closed = false;
  const client: Client = createClient({ url: `${consumerUrl.replace(/^http/, 'ws')}${endpoint}`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams });
  client.on('closed', () => (closed = true));
  return {
    isClosed: () => closed,
    subscribe(query: string): Subscriber & { done: Promise<void> } {
      const received: any[] = [];
      const errors: unknown[] = [];
      let finished!: () => void;
      const done = new Promise<void>((resolveDone) => (finished = resolveDone));
      const dispose = client.subscribe({ query }, {
        next: (value) => (value.errors ? errors.push(...value.errors) : received.push(value.data)),
        error: (error) => {
          errors.push(...(Array.isArray(error) ? error : [error]));
          finished();
        },
        complete: () => finished(),
      });
      return { received, errors, done, close: async () => dispose() };
    },
    close: () => client.dispose(),
  };
}

/** A subscription over server-sent events (POST, so no CSRF header is needed), with these headers. */
export async function sseSubscribe(consumerUrl: string, query: string, headers: Record<string, string> = {}, endpoint = PUBLIC_GRAPHQL): Promise<Subscriber & { status: number }> {
  const controller = new AbortController();
  const response = await fetch(`${consumerUrl}${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  const received: any[] = [];
  const errors: unknown[] = [];
  void (async () => {
    let buffered = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = event.split('\n').find((line) => line.startsWith('data: '));
          if (!data || data === 'data: ') continue;
          const parsed = JSON.parse(data.slice('data: '.length)) as { data?: unknown; errors?: unknown[] };
          if (parsed.errors) errors.push(...parsed.errors);
          else if (parsed.data) received.push(parsed.data);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { status: response.status, received, errors, close: async () => controller.abort() };
}
