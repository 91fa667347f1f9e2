import { createProducerApi, runTag } from '../lib/producer-api';
import { runPool } from '../lib/worker-pool';
import type { SeededUsers } from './endpoints';

/** Signs up and logs in `count` users through the producer, for login, refresh and GET /users/:id to use. */
export async function seedUsers(producerUrl: string, count: number, concurrency: number): Promise<SeededUsers> {
  const api = createProducerApi(producerUrl);
  const tag = runTag();
  const seeded: SeededUsers = { usernames: [], ids: [], accessTokens: [], refreshTokens: [] };
  await runPool(count, concurrency, async (i) => {
    const username = `${tag}_s${i}`;
    const created = await api.signUp(username);
    if (created.status !== 201) throw new Error(`seeding: sign-up answered ${created.status}`);
    const tokens = await api.login(username);
    if (tokens.status !== 200) throw new Error(`seeding: login answered ${tokens.status}`);
    seeded.usernames.push(username);
    seeded.ids.push(created.body.id);
    seeded.accessTokens.push(tokens.body.accessToken);
    seeded.refreshTokens.push(tokens.body.refreshToken);
  });
  return seeded;
}
