/** One page of a list: at most `limit` items after skipping `offset`. */
export interface PageRequest {
  limit: number;
  offset: number;
}
