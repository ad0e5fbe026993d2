import { MAX_FALLBACK_DEPTH } from '../domain/limits';

export interface FallbackNode {
  id: string;
  fallback: string | null;
}

export interface GraphProblem {
  /** Id of the model whose config holds the bad fallback. */
  modelId: string;
  kind: 'unknown' | 'self' | 'cycle' | 'depth';
  message: string;
}

/**
 * Checks a fleet's fallback graph: every fallback names an existing model, no chain loops, and no
 * chain is longer than MAX_FALLBACK_DEPTH hops. Each cycle is reported once, from its first member
 * in input order, as `fallback cycle: m-a -> m-b -> m-a`.
 */
export function checkFallbackGraph(
  nodes: readonly FallbackNode[],
  maxDepth = MAX_FALLBACK_DEPTH,
): GraphProblem[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const problems: GraphProblem[] = [];
  const reportedCycles = new Set<string>();

  for (const node of nodes) {
    if (node.fallback === null) continue;
    if (node.fallback === node.id) {
      problems.push({
        modelId: node.id,
        kind: 'self',
        message: `fallback cycle: ${node.id} -> ${node.id} (a model cannot fall back to itself)`,
      });
      continue;
    }
    if (!byId.has(node.fallback)) {
      problems.push({
        modelId: node.id,
        kind: 'unknown',
        message: `unknown fallback model "${node.fallback}"`,
      });
      continue;
    }
    const chain = [node.id];
    let current: FallbackNode | undefined = byId.get(node.fallback);
    while (current) {
      const seenAt = chain.indexOf(current.id);
      if (seenAt >= 0) {
        const loop = [...chain.slice(seenAt), current.id];
        const key = [...loop.slice(0, -1)].sort().join('|');
        if (!reportedCycles.has(key) && seenAt === 0) {
          reportedCycles.add(key);
          problems.push({
            modelId: node.id,
            kind: 'cycle',
            message: `fallback cycle: ${loop.join(' -> ')}`,
          });
        }
        break;
      }
      chain.push(current.id);
      if (chain.length - 1 > maxDepth) {
        problems.push({
          modelId: node.id,
          kind: 'depth',
          message: `fallback chain deeper than ${maxDepth}: ${chain.join(' -> ')}`,
        });
        break;
      }
      current = current.fallback === null ? undefined : byId.get(current.fallback);
    }
  }
  return problems;
}

/** The chain a model's fallbacks form, without the model itself, stopping at a repeat. */
export function fallbackChain(
  startId: string,
  fallbackOf: (id: string) => string | null | undefined,
  maxDepth = MAX_FALLBACK_DEPTH,
): string[] {
  const visited = new Set([startId]);
  const chain: string[] = [];
  let next = fallbackOf(startId);
  while (next && !visited.has(next) && chain.length < maxDepth) {
    chain.push(next);
    visited.add(next);
    next = fallbackOf(next);
  }
  return chain;
}
