export { diffFields, type FieldChange, sameValue, unifiedConfigDiff } from './config-diff';
export {
  DEFAULT_CLEAN_CANARIES,
  type DerivedStatus,
  deriveStatus,
  isCleanRun,
  vouchesForModel,
  type RunFact,
  type StatusFacts,
  VALIDATING_REASON,
  type Verdict,
} from './derive-status';
export {
  type EstimateHop,
  type EstimateInput,
  type EstimateModel,
  estimateFleetPass,
  type FleetEstimate,
} from './fleet-estimate';
export {
  type BlastRadius,
  blastRadius,
  CHANGE_NOTATION,
  type ChangeKind,
  type ChangeRef,
  DEFAULT_GATE_FIXTURES,
  describeChange,
  formatChangeRef,
  type GateBaseline,
  type GateCounts,
  type GateRun,
  type GateModel,
  type GateVerdict,
  gateVerdict,
  parseChangeRef,
  SAMPLE_SIZE,
} from './regression-gate';
export { seededRandom, seededSample, seedOf } from './seeded-sample';
export { median, percentile, rate, TIMEOUT_TIERS_MS, timeoutTier, timeoutTierLabel } from './stats';
export {
  attemptsSinceWorking,
  type FixAttemptFact,
  retestDate,
  suggestUnfixable,
  type UnfixableFacts,
  UNFIXABLE_RULES,
} from './unfixable';
