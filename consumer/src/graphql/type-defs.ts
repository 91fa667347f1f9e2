/** The consumer's GraphQL schema; names follow the interfaces in docs/architecture.md, access rules in docs/security.md. */
export const typeDefs = /* GraphQL */ `
  "A user's public profile; its personal fields are the user's own."
  type User {
    id: ID!
    username: String!
    "Only for the user it belongs to (\`me\`, or with that user's access token); null for anyone else."
    email: String
    firstName: String
    lastName: String
    createdAt: String!
    "Only for the user they were issued to; FORBIDDEN for anyone else."
    tokens(first: Int = 20): [IssuedToken!]!
  }

  type IssuedToken {
    jti: ID!
    userId: ID!
    reason: String!
    issuedAt: String!
    expiresAt: String!
    partition: Int!
    offset: String!
  }

  type UserEdge {
    cursor: String!
    node: User!
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type UserConnection {
    edges: [UserEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type PartitionStatus {
    topic: String!
    partition: Int!
    committedOffset: String
    endOffset: String!
    lag: Int!
  }

  type ConsumerGroup {
    groupId: String!
    state: String!
    members: Int!
    partitions: [PartitionStatus!]!
  }

  type ProducerStatus {
    url: String!
    ok: Boolean!
    roundTripMs: Float
    answer: String
    error: String
  }

  type AuthPayload {
    accessToken: String!
    refreshToken: String!
    tokenType: String!
    expiresIn: Int!
  }

  input SignUpInput {
    username: String!
    email: String!
    password: String!
    firstName: String
    lastName: String
  }

  type Query {
    users(first: Int = 20, after: String): UserConnection!
    user(id: ID!): User
    "The viewer's own tokens (userId must be the viewer's id)."
    tokens(userId: ID!, first: Int = 20): [IssuedToken!]!
    "The user of the bearer token (Authorization: Bearer <accessToken>)."
    me: User!
    "Operators only (x-operator-token)."
    consumerGroups: [ConsumerGroup!]!
    "Operators only (x-operator-token)."
    producerStatus: ProducerStatus!
  }

  type Mutation {
    signUp(input: SignUpInput!): User!
    login(username: String!, password: String!): AuthPayload!
    refreshToken(refreshToken: String!): AuthPayload!
  }

  type Subscription {
    userCreated: User!
    "The viewer's own tokens, as they are issued (bearer token required)."
    tokenIssued: IssuedToken!
  }
`;
