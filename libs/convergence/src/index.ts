export { findDifferences, type ConvergenceOptions } from './find-differences';
export type { Difference } from './differences';
export { projectionLag, type ProjectionGroup } from './projection-lag';
