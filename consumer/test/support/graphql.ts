import { request } from '@herald/testing';

export interface GraphQLAnswer<T = any> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** One GraphQL request over HTTP POST. */
export async function gql<T = any>(baseUrl: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLAnswer<T>> {
  return (await request<GraphQLAnswer<T>>(baseUrl, 'POST', '/graphql', { query, variables }, headers)).body;
}

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { id username email firstName lastName createdAt }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) { accessToken refreshToken tokenType expiresIn }
  }
`;
