export * from './group-status';
export * from './member-assignment';
export * from './read-topic';
