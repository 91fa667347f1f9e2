/** An event with where it was read from: the projections record it for audits and replays. */
export interface Located<E> {
  event: E;
  partition: number;
  offset: string;
}
