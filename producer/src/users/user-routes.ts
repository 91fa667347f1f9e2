import { NotFoundError } from '@herald/core';
import { Router } from 'express';
import { validate } from '../http/validate';
import type { createSignUp } from './sign-up';
import type { UserRepository } from './user-repository';
import { signUpSchema, userIdSchema } from './user-schemas';

export function createUserRoutes({ signUp, users }: { signUp: ReturnType<typeof createSignUp>; users: UserRepository }): Router {
  const router = Router();

  router.post('/users', async (req, res) => {
    const input = validate(signUpSchema, req.body);
    const user = await signUp(input, { traceparent: req.get('traceparent') });
    res.status(201).location(`/users/${user.id}`).json(user);
  });

  router.get('/users/:id', async (req, res) => {
    const id = validate(userIdSchema, req.params.id, 'user id');
    const user = await users.findById(id);
    if (!user) throw new NotFoundError(`No user with id ${id}`);
    res.json(user);
  });

  return router;
}
