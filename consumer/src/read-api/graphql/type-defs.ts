/** A token issued to a user: in the public schema (the viewer's own) and in the operators' (everyone's, ops/ops-type-defs.ts). */
export const issuedTokenTypeDefs = /* GraphQL */ `
  type IssuedToken {
    jti: ID!
    userId: ID!
    reason: String!
    issuedAt: String!
    expiresAt: String!
    partition: Int!
    offset: String!
  }
`;

/**
 * The consumer's public GraphQL schema on /graphql; names follow the interfaces in
 * docs/architecture.md, access rules in docs/security.md. Operators' fields are in another schema
 * on another path (ops/ops-type-defs.ts).
 */
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
    "The user's latest posts, newest first."
    posts(first: Int = 20): [Post!]!
    followersCount: Int!
    followingCount: Int!
  }

  type Post {
    id: ID!
    authorId: ID!
    "The author's public profile; null until the author's sign-up is projected."
    author: User
    title: String!
    body: String!
    createdAt: String!
  }

  type PostEdge {
    cursor: String!
    node: Post!
  }

  "A feed, newest first; cursors are positions over (createdAt, postId)."
  type FeedConnection {
    edges: [PostEdge!]!
    pageInfo: PageInfo!
  }

  type Follow {
    followerId: ID!
    followeeId: ID!
    followedAt: String!
  }

  input CreatePostInput {
    "2 to 100 characters, trimmed."
    title: String!
    "10 to 1000 characters, trimmed; line feeds allowed."
    body: String!
  }

  ${issuedTokenTypeDefs}

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

  type AuthPayload {
    accessToken: String!
    refreshToken: String!
    tokenType: String!
    expiresIn: Int!
  }

  "Any of these; null clears a name. A new e-mail needs currentPassword."
  input UpdateProfileInput {
    username: String
    email: String
    firstName: String
    lastName: String
    currentPassword: String
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
    "The viewer's own feed: posts of the users the viewer follows (bearer token required)."
    feed(first: Int = 20, after: String): FeedConnection!
    post(id: ID!): Post
  }

  type Mutation {
    signUp(input: SignUpInput!): User!
    "Changes the bearer token's user's own profile; posts and feeds show the new names once it is projected."
    updateProfile(input: UpdateProfileInput!): User!
    "Deletes the bearer token's user's account (the current password is required): every session ends, and every read model forgets the user."
    deleteAccount(currentPassword: String!): Boolean!
    login(username: String!, password: String!): AuthPayload!
    refreshToken(refreshToken: String!): AuthPayload!
    "Ends the session of the bearer token (its refresh and access tokens); the number of sessions ended."
    logout: Int!
    "Ends every session of the bearer token's user, this one included."
    logoutEverywhere: Int!
    "Changes the password (the current one is required) and ends every other session of the user."
    changePassword(currentPassword: String!, newPassword: String!): Int!
    "The following mutations act as the bearer token's user."
    createPost(input: CreatePostInput!): Post!
    "Deletes one of the viewer's own posts; it leaves every feed once post-deleted is projected."
    deletePost(id: ID!): Boolean!
    "Following twice is one follow; following yourself or an unknown user is refused."
    follow(followeeId: ID!): Follow!
    unfollow(followeeId: ID!): Boolean!
  }

  type Subscription {
    userCreated: User!
    "The viewer's own tokens, as they are issued (bearer token required)."
    tokenIssued: IssuedToken!
    "Posts as they land in the viewer's own feed (bearer token required)."
    feedItemAdded: Post!
    "The ids of posts their authors deleted, from the viewer's own feed (bearer token required)."
    feedItemRemoved: ID!
  }
`;
