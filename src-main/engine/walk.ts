import type { StoredModel } from '../store';
import type { WorkItem } from './types';

/** One item's walk through its fallback chain. */
export interface Walk {
  item: WorkItem;
  intended: StoredModel;
  visited: Set<string>;
  depth: number;
  /** Why the item is on this model (null on the intended model). */
  reason: string | null;
}
