import type { Client } from 'pg';
import { byKey, diffRows, type Difference } from './differences';

interface PostRow {
  id: string;
  author_id: string;
  title: string;
  body: string;
  created_at: Date;
}

const COLUMNS = 'id, author_id, title, body, created_at';

/**
 * Posts: the same set on both sides (a deleted post has left the read models, whichever of its
 * two events came first), each with the same author, content and time.
 */
export async function comparePosts(source: Client, readModels: Client): Promise<Difference[]> {
  const expected = byKey((await source.query<PostRow>(`SELECT ${COLUMNS} FROM posts`)).rows, (row) => row.id);
  const actual = byKey((await readModels.query<PostRow>(`SELECT ${COLUMNS} FROM posts`)).rows, (row) => row.id);
  const tombstones = new Set((await readModels.query<{ post_id: string }>('SELECT post_id FROM deleted_posts')).rows.map((row) => row.post_id));
  const differences = diffRows({
    what: 'post',
    expected,
    actual,
    fields: [
      { name: 'author_id', value: (row) => row.author_id },
      { name: 'title', value: (row) => row.title, personal: true },
      { name: 'body', value: (row) => row.body, personal: true },
      { name: 'created_at', value: (row) => row.created_at },
    ],
    extra: (id) => (tombstones.has(id) ? 'deleted (the read models hold its tombstone), yet still in the posts read model' : 'in the read models, not in the producer\'s database'),
  });
  for (const id of expected.keys()) if (tombstones.has(id)) differences.push(`post ${id}: in the producer's database, yet the read models hold a deletion tombstone of it`);
  return differences;
}
