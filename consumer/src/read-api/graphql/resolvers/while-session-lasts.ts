import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import type { GraphQLContext } from '../context';

/**
 * A viewer's subscription for as long as the viewer's session lasts: when session-ended names it
 * (logout, logout everywhere, a new password, a reused refresh token, the account deleted; the live
 * feed hears it on every task), the stream ends with UNAUTHENTICATED, as a new request with the same
 * token would. Without this, a stream opened before a logout would go on pushing the user's data.
 */
export async function whileSessionLasts<T>(context: GraphQLContext, open: (userId: string) => AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const { userId, sessionId } = await context.viewer.requireSession();
  const source = open(userId);
  const endings = context.pubsub.subscribe('sessionEnded');
  return new Repeater<T>(async (push, stop) => {
    const sourceIterator = source[Symbol.asyncIterator]();
    const endingsIterator = endings[Symbol.asyncIterator]();
    void (async () => {
      for await (const ended of { [Symbol.asyncIterator]: () => endingsIterator }) {
        if (ended.userId === userId && ended.sessionIds.includes(sessionId)) return stop(new GraphQLError('The session of this access token has ended; log in again', { extensions: { code: 'UNAUTHENTICATED' } }));
      }
    })().catch(stop);
    void (async () => {
      for await (const value of { [Symbol.asyncIterator]: () => sourceIterator }) await push(value);
      stop();
    })().catch(stop);
    await stop;
    // Not awaited: a source waiting for its next value ends when it can; the stream is over now.
    for (const iterator of [sourceIterator, endingsIterator]) void iterator.return?.()?.catch(() => {});
  });
}
