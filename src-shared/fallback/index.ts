export { checkFallbackGraph, fallbackChain } from './graph';
export type { FallbackNode, GraphProblem } from './graph';
