import type { ProducerHttpClient } from '../producer/producer-http-client';

export interface ProducerStatusView {
  url: string;
  ok: boolean;
  roundTripMs: number | null;
  answer: string | null;
  error: string | null;
}

/**
 * Whether the producer answers at the URL service discovery gave, and how fast. One ping serves
 * every request that asks while it is in flight and for `cacheMs` after, so no number of requests
 * (or aliases in one) turns into as many calls to the producer.
 */
export function createProducerStatus({ producer, cacheMs, now = () => Date.now() }: { producer: Pick<ProducerHttpClient, 'baseUrl' | 'ping'>; cacheMs: number; now?: () => number }) {
  let answered: { at: number; status: ProducerStatusView } | undefined;
  let inFlight: Promise<ProducerStatusView> | undefined;

  const ping = async (): Promise<ProducerStatusView> => {
    try {
      const { body, roundTripMs } = await producer.ping();
      return { url: producer.baseUrl, ok: true, roundTripMs, answer: JSON.stringify(body), error: null };
    } catch (error) {
      return { url: producer.baseUrl, ok: false, roundTripMs: null, answer: null, error: error instanceof Error ? error.message : String(error) };
    }
  };

  return function producerStatus(): Promise<ProducerStatusView> {
    if (answered && now() - answered.at < cacheMs) return Promise.resolve(answered.status);
    inFlight ??= ping().then((status) => {
      answered = { at: now(), status };
      inFlight = undefined;
      return status;
    });
    return inFlight;
  };
}
