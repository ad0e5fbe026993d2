import { seededSample, seedOf } from './seeded-sample';
import { rate } from './stats';

/** A change the gate can test, named as the CLI writes it: `variant:JSON_STRICT@3`. */
export type ChangeKind = 'variant' | 'component' | 'model';
export interface ChangeRef {
  kind: ChangeKind;
  /** Variant name, component key or model id. */
  name: string;
  /** A version; undefined means the latest. */
  version?: number | undefined;
}

export const CHANGE_NOTATION = 'variant:NAME[@N], component:KEY[@N] or model:ID[@N]';

/** Parses `kind:name[@version]`; the version is the last `@digits` (model ids may contain `@`). */
export function parseChangeRef(text: string): ChangeRef | { error: string } {
  const match = /^(variant|component|model):(.+?)(?:@v?(\d+))?$/.exec(text.trim());
  if (!match) return { error: `cannot read change "${text}": write ${CHANGE_NOTATION}` };
  const version = match[3] === undefined ? undefined : Number(match[3]);
  if (version !== undefined && version < 1)
    return { error: `version must be 1 or more in "${text}"` };
  return { kind: match[1] as ChangeKind, name: match[2]!, version };
}

export function formatChangeRef(change: ChangeRef): string {
  return `${change.kind}:${change.name}${change.version === undefined ? '' : `@${change.version}`}`;
}

/** "variant JSON_STRICT v2", "component rules v3", "model m-a config v4". */
export function describeChange(change: Required<ChangeRef>): string {
  return change.kind === 'model'
    ? `model ${change.name} config v${change.version}`
    : `${change.kind} ${change.name} v${change.version}`;
}

export const SAMPLE_SIZE = 5;
export const DEFAULT_GATE_FIXTURES = 5;

export interface GateModel {
  id: string;
  active: boolean;
  promptVariant: string;
  /** Derived status right now: the sample is drawn from `working` models. */
  status: string;
}

export interface BlastRadius {
  blastRadius: 'fleet' | 'variant' | 'model';
  affected: string[];
  tested: string[];
  seed: number;
}

/**
 * Who a change can break, and who the gate runs (seeds 000, pitfall 1): a task component changes
 * every model's prompt, so every active model is tested; a variant changes its users' prompts and
 * a model config only that model, so those are tested plus SAMPLE_SIZE models drawn (seeded by the
 * change itself, so the plan shown is the plan run) from the other models currently working.
 */
export function blastRadius(
  change: Required<ChangeRef>,
  models: readonly GateModel[],
  sampleSize = SAMPLE_SIZE,
): BlastRadius {
  const seed = seedOf(describeChange(change));
  const active = models.filter((model) => model.active);
  if (change.kind === 'component') {
    const all = active.map((model) => model.id).sort();
    return { blastRadius: 'fleet', affected: all, tested: all, seed };
  }
  const affected =
    change.kind === 'variant'
      ? active
          .filter((model) => model.promptVariant === change.name)
          .map((model) => model.id)
          .sort()
      : [change.name];
  const others = active
    .filter((model) => model.status === 'working' && !affected.includes(model.id))
    .map((model) => model.id);
  const sample = seededSample(others, sampleSize, seed);
  return { blastRadius: change.kind, affected, tested: [...affected, ...sample], seed };
}

export type GateVerdict = 'ok' | 'regression' | 'fixed' | 'still_failing' | 'new' | 'untested';

export interface GateCounts {
  predictions: number;
  own: number;
}

/** A model's figures in the gate's own run, with that run's quality warnings for it. */
export interface GateRun extends GateCounts {
  warnings: readonly string[];
}

/** The run a gate compares a model with, and whether it was clean (see vouchesForModel). */
export interface GateBaseline extends GateCounts {
  clean: boolean;
}

/**
 * The gate's rule. The baseline is the model's newest clean run before the gate (every fixture
 * answered by the model itself, no quality warning, not a one-fixture check: the runs the
 * `working` streak counts), else,
 * when it never ran cleanly, its last run. The gate's run is judged the same way: after a clean
 * baseline any fixture the model now fails, or a quality warning (a change that makes a working
 * model answer 1-0 to everything), is a regression, so one flaky run does not hide a change that
 * breaks a working model. A model with no clean run is `fixed` when it now answers everything
 * with no warning and `still_failing` otherwise; with no earlier run it is `new`. A model the
 * gate's run never sent a fixture to (no key, its circuit open, the budget spent) is `untested`:
 * the gate proved nothing about it, whatever its baseline.
 */
export function gateVerdict(
  baseline: GateBaseline | null,
  now: GateRun | null,
): {
  verdict: GateVerdict;
  baselineSuccessRate: number | null;
  successRate: number | null;
} {
  const baselineSuccessRate = baseline ? rate(baseline.own, baseline.predictions) : null;
  const successRate = now ? rate(now.own, now.predictions) : null;
  const wasWorking = baseline?.clean === true;
  const clean =
    now !== null && now.predictions > 0 && now.own === now.predictions && now.warnings.length === 0;
  let verdict: GateVerdict;
  if (now === null || now.predictions === 0) verdict = 'untested';
  else if (baseline === null) verdict = 'new';
  else if (wasWorking) verdict = clean ? 'ok' : 'regression';
  else verdict = clean ? 'fixed' : 'still_failing';
  return { verdict, baselineSuccessRate, successRate };
}
