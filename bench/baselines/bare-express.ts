import type { AddressInfo } from 'node:net';
import express from 'express';

const USER = { id: '00000000-0000-4000-8000-000000000000', username: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: null, createdAt: new Date(0).toISOString() };

/**
 * The ceiling of the producer's cheapest routes: express with the JSON body parser, answering a
 * user-shaped (or post-shaped) JSON object from memory, in this process on a free port.
 */
export async function startBareExpress(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(express.json());
  app.get('/users/:id', (req, res) => {
    res.json({ ...USER, id: req.params.id });
  });
  // POST /posts' ceiling: the body parsed, a post-shaped answer, nothing stored.
  app.post('/posts', (req, res) => {
    const { title, body } = req.body as { title?: string; body?: string };
    res.status(201).json({ id: USER.id, authorId: USER.id, title, body, createdAt: new Date().toISOString() });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolveListen) => server.once('listening', resolveListen));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())) };
}
