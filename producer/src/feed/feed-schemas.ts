import { z } from 'zod';
import { visibleText } from '../http/visible-text';

export const newPostSchema = z.strictObject({
  title: visibleText({ min: 2, max: 100 }),
  body: visibleText({ min: 10, max: 1000, multiline: true }),
});

export type NewPost = z.output<typeof newPostSchema>;

export const followSchema = z.strictObject({ followeeId: z.uuid('must be a UUID') });

export const postIdSchema = z.uuid('must be a UUID');
