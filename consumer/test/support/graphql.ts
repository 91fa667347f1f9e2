import { request } from '@herald/testing';

export interface GraphQLAnswer<T = any> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** The consumer's two GraphQL endpoints: the public API and the operators'. */
export const PUBLIC_GRAPHQL = '/graphql';
export const OPS_GRAPHQL = '/ops/graphql';

/** One GraphQL request over HTTP POST to the public endpoint. */
export async function gql<T = any>(baseUrl: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLAnswer<T>> {
  return (await request<GraphQLAnswer<T>>(baseUrl, 'POST', PUBLIC_GRAPHQL, { query, variables }, headers)).body;
}

/** The same to the operators' endpoint, with its HTTP status (401 or 403 when refused). */
export async function opsGql<T = any>(baseUrl: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLAnswer<T> & { status: number }> {
  const { status, body } = await request<GraphQLAnswer<T>>(baseUrl, 'POST', OPS_GRAPHQL, { query, variables }, headers);
  return { ...body, status };
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
