/** The consumer's GraphQL schema; names follow the contract in ARCHITECTURE.md. */
export const typeDefs = /* GraphQL */ `
  type User {
    id: ID!
    username: String!
    email: String!
    firstName: String
    lastName: String
    createdAt: String!
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
    tokens(userId: ID!, first: Int = 20): [IssuedToken!]!
    me: User!
    consumerGroups: [ConsumerGroup!]!
    producerStatus: ProducerStatus!
  }

  type Mutation {
    signUp(input: SignUpInput!): User!
    login(username: String!, password: String!): AuthPayload!
    refreshToken(refreshToken: String!): AuthPayload!
  }

  type Subscription {
    userCreated: User!
    tokenIssued: IssuedToken!
  }
`;
