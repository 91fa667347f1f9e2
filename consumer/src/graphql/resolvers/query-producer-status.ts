import type { GraphQLContext } from '../context';

/** `producerStatus`: whether the producer answers at the URL service discovery gave, and how fast. */
export async function producerStatus(_: unknown, __: unknown, { producer }: GraphQLContext) {
  try {
    const { body, roundTripMs } = await producer.ping();
    return { url: producer.baseUrl, ok: true, roundTripMs, answer: JSON.stringify(body), error: null };
  } catch (error) {
    return { url: producer.baseUrl, ok: false, roundTripMs: null, answer: null, error: error instanceof Error ? error.message : String(error) };
  }
}
