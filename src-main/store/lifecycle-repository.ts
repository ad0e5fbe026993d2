import type { Verdict } from '../../src-shared/lifecycle';
import type { Db } from './database';

export interface StoredVerdict {
  modelId: string;
  status: Verdict;
  reason: string | null;
  retestAt: string | null;
  setAt: string;
}

export interface RegressionGate {
  runId: string;
  kind: 'variant' | 'component' | 'model';
  name: string;
  version: number;
  /** The version before the change: what a rollback restores (null for a new variant). */
  previousVersion: number | null;
  plan: unknown;
  promptVersions: unknown;
  createdAt: string;
}

/** One item of a run, as the lifecycle reads it: who answered, at which config, for how much. */
export interface ItemFact {
  runId: string;
  kind: string;
  runStartedAt: string;
  itemKey: string;
  modelId: string;
  /** The intended model's config version (from its own attempts; null when it was never called). */
  configVersion: number | null;
  fixtures: number;
  decided: boolean;
  ownSuccess: boolean;
  fallbackSuccess: boolean;
  finalErrorClass: string | null;
  /** An error class of the intended model's own failed attempts (what went wrong before any fallback). */
  ownErrorClass: string | null;
  /** The intended model's timeout on this item. */
  timeoutMs: number | null;
  /** Latency of the model's own successful attempt. */
  ownLatencyMs: number | null;
  ownTtftMs: number | null;
  ownPromptTokens: number | null;
  ownCompletionTokens: number | null;
  /** Attempts sent to the intended model, and how many got a 5xx. */
  ownAttempts: number;
  ownServerErrors: number;
  /** Every attempt's cost, fallbacks included; null when some sent attempt had no known cost. */
  costMicros: number | null;
  fallbackCostMicros: number;
  startedAt: string;
}

/** One attempt's columns, as `itemFacts` folds them into its item (a raw row, in this order). */
type AttemptRow = [
  id: number,
  runId: string,
  itemKey: string,
  intendedModel: string,
  fallbackDepth: number,
  configVersion: number,
  fixtureId: string,
  final: number,
  status: string,
  errorClass: string | null,
  timeoutMs: number,
  latencyMs: number,
  ttftMs: number | null,
  promptTokens: number | null,
  completionTokens: number | null,
  attempt: number,
  httpStatus: number | null,
  costMicros: number | null,
  startedAt: string,
];

const ATTEMPT_COLUMNS = `c.id, c.run_id, c.item_key, c.intended_model, c.fallback_depth, c.config_version, c.fixture_id,
  c.final, c.status, c.error_class, c.timeout_ms, c.latency_ms, c.ttft_ms, c.prompt_tokens, c.completion_tokens,
  c.attempt, c.http_status, c.cost_micros, c.started_at`;

interface RunInfo {
  id: string;
  kind: string;
  startedAt: string;
}

/** Each open database's folded runs, with the attempt count and last attempt id they were folded at. */
const FACTS_BY_RUN = new WeakMap<Db, Map<string, { count: number; lastId: number; facts: readonly ItemFact[] }>>();

/** An item being folded from its attempts, with what orders it (its first attempt's id). */
interface ItemAcc {
  fact: ItemFact;
  firstId: number;
  fixtureId: string;
  /** Every known cost so far; the fact's cost is this, or null once a billed attempt had none. */
  cost: number;
  unknownCost: boolean;
}

/** The larger of two values where null means "none yet" (SQL's MAX, which skips NULL). */
function larger<T extends number | string>(current: T | null, next: T | null): T | null {
  if (next === null) return current;
  return current === null || next > current ? next : current;
}

/** Folds attempts into their items (SQL's MIN, MAX and SUM per item), newest run first. */
function foldAttempts(attempts: Iterable<AttemptRow>, runs: Map<string, RunInfo>, sinceIso: string | undefined): ItemFact[] {
  const items = new Map<string, ItemAcc>();
  for (const row of attempts) {
    const [id, runId, itemKey, intendedModel, depth, configVersion, fixtureId, final, status, errorClass, timeoutMs, latencyMs, ttftMs, promptTokens, completionTokens, attempt, httpStatus, costMicros, startedAt] =
      row;
    const run = runs.get(runId);
    // Only attempts of known runs, started since `sinceIso` (the runs they belong to).
    if (!run || (sinceIso !== undefined && run.startedAt < sinceIso)) continue;
    const key = `${runId}\u0000${itemKey}`;
    let acc = items.get(key);
    if (!acc) {
      acc = {
        firstId: id,
        fixtureId,
        cost: 0,
        unknownCost: false,
        fact: {
          runId,
          kind: run.kind,
          runStartedAt: run.startedAt,
          itemKey,
          modelId: intendedModel,
          configVersion: null,
          fixtures: 0,
          decided: false,
          ownSuccess: false,
          fallbackSuccess: false,
          finalErrorClass: null,
          ownErrorClass: null,
          timeoutMs: null,
          ownLatencyMs: null,
          ownTtftMs: null,
          ownPromptTokens: null,
          ownCompletionTokens: null,
          ownAttempts: 0,
          ownServerErrors: 0,
          costMicros: 0,
          fallbackCostMicros: 0,
          startedAt,
        },
      };
      items.set(key, acc);
    }
    const fact = acc.fact;
    if (id < acc.firstId) acc.firstId = id;
    if (fixtureId < acc.fixtureId) acc.fixtureId = fixtureId;
    if (intendedModel < fact.modelId) fact.modelId = intendedModel;
    if (startedAt < fact.startedAt) fact.startedAt = startedAt;
    const own = depth === 0;
    const success = status === 'success';
    if (final === 1) {
      fact.decided = true;
      if (success && own) fact.ownSuccess = true;
      if (success && !own) fact.fallbackSuccess = true;
      fact.finalErrorClass = larger(fact.finalErrorClass, errorClass);
    }
    if (own) {
      fact.configVersion = larger(fact.configVersion, configVersion);
      fact.timeoutMs = larger(fact.timeoutMs, timeoutMs);
      if (attempt > 0) fact.ownAttempts++;
      if (httpStatus !== null && httpStatus >= 500) fact.ownServerErrors++;
      if (success) {
        fact.ownLatencyMs = larger(fact.ownLatencyMs, latencyMs);
        fact.ownTtftMs = larger(fact.ownTtftMs, ttftMs);
        fact.ownPromptTokens = larger(fact.ownPromptTokens, promptTokens);
        fact.ownCompletionTokens = larger(fact.ownCompletionTokens, completionTokens);
      } else {
        fact.ownErrorClass = larger(fact.ownErrorClass, errorClass);
      }
    }
    if (costMicros !== null) {
      acc.cost += costMicros;
      if (!own) fact.fallbackCostMicros += costMicros;
    } else if (httpStatus !== null && httpStatus < 400) {
      acc.unknownCost = true;
    }
  }
  const folded = [...items.values()];
  for (const acc of folded) {
    acc.fact.fixtures = acc.fixtureId.split('+').length;
    acc.fact.costMicros = acc.unknownCost ? null : acc.cost;
  }
  // Newest run first (by start, then id, as SQL compares text), and plan order within a run.
  folded.sort((a, b) => {
    if (a.fact.runId !== b.fact.runId) return compareRuns(runs.get(a.fact.runId)!, runs.get(b.fact.runId)!);
    return a.firstId - b.firstId;
  });
  return folded.map((acc) => acc.fact);
}

/** Newest run first: by start, then by id, both compared as SQL compares text. */
function compareRuns(a: RunInfo, b: RunInfo): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return 0;
}

/** Operator verdicts, regression gates and the per-item facts the lifecycle derives from. */
export class LifecycleRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  verdict(modelId: string): StoredVerdict | undefined {
    const row = this.db.prepare('SELECT * FROM model_verdicts WHERE model_id = ?').get(modelId) as VerdictRow | undefined;
    return row ? toVerdict(row) : undefined;
  }

  allVerdicts(): Map<string, StoredVerdict> {
    const rows = this.db.prepare('SELECT * FROM model_verdicts').all() as VerdictRow[];
    return new Map(rows.map((row) => [row.model_id, toVerdict(row)]));
  }

  /** Records a verdict and its audit-log line (call inside the caller's transaction if needed). */
  setVerdict(modelId: string, status: Verdict, reason: string | null, retestAt: string | null): void {
    const at = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO model_verdicts (model_id, verdict, reason, retest_at, set_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(model_id) DO UPDATE SET verdict = excluded.verdict, reason = excluded.reason,
           retest_at = excluded.retest_at, set_at = excluded.set_at`,
      )
      .run(modelId, status, reason, retestAt, at);
    this.db
      .prepare('INSERT INTO model_verdict_log (model_id, verdict, reason, retest_at, at) VALUES (?, ?, ?, ?, ?)')
      .run(modelId, status, reason, retestAt, at);
  }

  verdictLog(modelId: string): StoredVerdict[] {
    const rows = this.db.prepare('SELECT model_id, verdict, reason, retest_at, at AS set_at FROM model_verdict_log WHERE model_id = ? ORDER BY id').all(modelId) as VerdictRow[];
    return rows.map(toVerdict);
  }

  addGate(gate: RegressionGate): void {
    this.db
      .prepare(
        `INSERT INTO regression_gates (run_id, change_kind, change_name, version, previous_version, plan, prompt_versions, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(gate.runId, gate.kind, gate.name, gate.version, gate.previousVersion, JSON.stringify(gate.plan), JSON.stringify(gate.promptVersions), gate.createdAt);
  }

  gate(runId: string): RegressionGate | undefined {
    const row = this.db.prepare('SELECT * FROM regression_gates WHERE run_id = ?').get(runId) as GateRow | undefined;
    return row ? toGate(row) : undefined;
  }

  /**
   * Whether a gate of this change finished with a verdict (passed or regressed), or is running now:
   * a cancelled or interrupted gate, or an incomplete one (fixtures refused before sending), still
   * waits for one. A gate stored before `incomplete` existed keeps the status it was given.
   */
  gated(kind: string, name: string, version: number): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM regression_gates g JOIN runs r ON r.id = g.run_id
           WHERE g.change_kind = ? AND g.change_name = ? AND g.version = ?
             AND (r.status = 'running'
                  OR (r.status = 'completed' AND json_extract(r.summary, '$.regression.status') IN ('passed', 'regressed')))`,
        )
        .get(kind, name, version) !== undefined
    );
  }

  /** Every config version of every model (one query), oldest first per model. */
  allConfigVersions(): { modelId: string; version: number; config: string; note: string; createdAt: string; trial: number }[] {
    return this.db
      .prepare('SELECT model_id AS modelId, version, config, note, created_at AS createdAt, trial FROM config_versions ORDER BY model_id, version')
      .all() as { modelId: string; version: number; config: string; note: string; createdAt: string; trial: number }[];
  }

  /** Quality warnings recorded in run summaries (canary-shaped: `models[].warnings`), by run and model. */
  qualityWarnings(): Map<string, string[]> {
    const rows = this.db
      .prepare(
        `SELECT r.id AS run_id, json_extract(m.value, '$.modelId') AS model_id, json_extract(m.value, '$.warnings') AS warnings
         FROM runs r, json_each(r.summary, '$.models') m
         WHERE r.summary IS NOT NULL AND json_valid(r.summary) AND json_type(r.summary, '$.models') = 'array'
           AND json_type(m.value, '$.warnings') = 'array' AND json_array_length(m.value, '$.warnings') > 0`,
      )
      .all() as { run_id: string; model_id: string; warnings: string }[];
    return new Map(rows.map((row) => [`${row.run_id}\u0000${row.model_id}`, JSON.parse(row.warnings) as string[]]));
  }

  /** Spend, fallback spend, attempts and failed attempts per UTC day since `sinceIso`. */
  dailySpend(sinceIso: string): { day: string; costMicros: number; fallbackMicros: number; calls: number; failedCalls: number }[] {
    return this.db
      .prepare(
        `SELECT substr(started_at, 1, 10) AS day, COALESCE(SUM(cost_micros), 0) AS costMicros,
           COALESCE(SUM(CASE WHEN fallback_depth > 0 THEN cost_micros END), 0) AS fallbackMicros,
           SUM(CASE WHEN attempt > 0 THEN 1 ELSE 0 END) AS calls,
           SUM(CASE WHEN attempt > 0 AND status = 'failure' THEN 1 ELSE 0 END) AS failedCalls
         FROM call_records WHERE started_at >= ? GROUP BY day ORDER BY day`,
      )
      .all(sinceIso) as { day: string; costMicros: number; fallbackMicros: number; calls: number; failedCalls: number }[];
  }

  /** Time to first token of every attempt that reported one since `sinceIso`, with its model. */
  ttftSamples(sinceIso: string): { modelId: string; ttftMs: number }[] {
    return this.db
      .prepare('SELECT actual_model AS modelId, ttft_ms AS ttftMs FROM call_records WHERE started_at >= ? AND ttft_ms IS NOT NULL')
      .all(sinceIso) as { modelId: string; ttftMs: number }[];
  }

  /** The newest variant, component and model-config versions written by operators, for "what is not gated yet". */
  operatorChanges(taskId: string): { kind: 'variant' | 'component' | 'model'; name: string; version: number; at: string }[] {
    return this.db
      .prepare(
        `SELECT 'variant' AS kind, name, MAX(version) AS version, MAX(created_at) AS at FROM prompt_variant_versions WHERE builtin = 0 GROUP BY name
         UNION ALL
         SELECT 'component', component, MAX(version), MAX(created_at) FROM prompt_component_versions WHERE task_id = ? AND version > 1 GROUP BY component
         UNION ALL
         SELECT 'model', m.id, m.current_config_version, c.created_at FROM models m
           JOIN config_versions c ON c.model_id = m.id AND c.version = m.current_config_version WHERE m.current_config_version > 1`,
      )
      .all(taskId) as { kind: 'variant' | 'component' | 'model'; name: string; version: number; at: string }[];
  }

  /**
   * Per-item facts, newest run first; optionally only one model's or one run's items. The
   * attempts are folded into items here rather than by a SQL GROUP BY: reading the rows costs the
   * same, and twenty aggregates per item in SQL cost about four times more than the reading.
   *
   * Without a model or run filter (every status read: the grid, each canary's end) the facts of
   * each run are kept per database handle and folded again only when the run's attempts changed:
   * attempts are only ever appended, so a run's count and last attempt id say whether they did.
   */
  itemFacts(filter: { modelId?: string; runId?: string; sinceIso?: string } = {}): ItemFact[] {
    // One read transaction: the runs, the stamps and the attempts all come from one snapshot,
    // whatever another process writes meanwhile.
    return this.db.transaction(() => this.readFacts(filter))();
  }

  private readFacts(filter: { modelId?: string; runId?: string; sinceIso?: string }): ItemFact[] {
    const runs = this.runsById();
    if (filter.modelId === undefined && filter.runId === undefined) return this.cachedFacts(runs, filter.sinceIso);
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.modelId !== undefined) {
      where.push('c.intended_model = ?');
      values.push(filter.modelId);
    }
    if (filter.runId !== undefined) {
      where.push('c.run_id = ?');
      values.push(filter.runId);
    }
    const attempts = this.db
      .prepare(`SELECT ${ATTEMPT_COLUMNS} FROM call_records c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`)
      .raw()
      .iterate(...values) as IterableIterator<AttemptRow>;
    return foldAttempts(attempts, runs, filter.sinceIso);
  }

  private runsById(): Map<string, RunInfo> {
    const rows = this.db.prepare('SELECT id, kind, started_at FROM runs').raw().all() as [string, string, string][];
    return new Map(rows.map(([id, kind, startedAt]) => [id, { id, kind, startedAt }]));
  }

  private cachedFacts(runs: Map<string, RunInfo>, sinceIso: string | undefined): ItemFact[] {
    let cache = FACTS_BY_RUN.get(this.db);
    if (!cache) {
      cache = new Map();
      FACTS_BY_RUN.set(this.db, cache);
    }
    const stamps = this.db
      .prepare('SELECT run_id, COUNT(*), MAX(id) FROM call_records GROUP BY run_id')
      .raw()
      .all() as [string, number, number][];
    const attemptsOf = this.db.prepare(`SELECT ${ATTEMPT_COLUMNS} FROM call_records c WHERE c.run_id = ?`).raw();
    const included: { run: RunInfo; facts: readonly ItemFact[] }[] = [];
    for (const [runId, count, lastId] of stamps) {
      const run = runs.get(runId);
      if (!run || (sinceIso !== undefined && run.startedAt < sinceIso)) continue;
      let entry = cache.get(runId);
      if (!entry || entry.count !== count || entry.lastId !== lastId) {
        const facts = foldAttempts(attemptsOf.iterate(runId) as IterableIterator<AttemptRow>, runs, undefined);
        for (const fact of facts) Object.freeze(fact);
        entry = { count, lastId, facts };
        cache.set(runId, entry);
      }
      included.push({ run, facts: entry.facts });
    }
    included.sort((a, b) => compareRuns(a.run, b.run));
    return included.flatMap((entry) => entry.facts);
  }
}

interface VerdictRow {
  model_id: string;
  verdict: string;
  reason: string | null;
  retest_at: string | null;
  set_at: string;
}

interface GateRow {
  run_id: string;
  change_kind: string;
  change_name: string;
  version: number;
  previous_version: number | null;
  plan: string;
  prompt_versions: string;
  created_at: string;
}

const toVerdict = (row: VerdictRow): StoredVerdict => ({
  modelId: row.model_id,
  status: row.verdict as Verdict,
  reason: row.reason,
  retestAt: row.retest_at,
  setAt: row.set_at,
});

const toGate = (row: GateRow): RegressionGate => ({
  runId: row.run_id,
  kind: row.change_kind as RegressionGate['kind'],
  name: row.change_name,
  version: row.version,
  previousVersion: row.previous_version,
  plan: JSON.parse(row.plan),
  promptVersions: JSON.parse(row.prompt_versions),
  createdAt: row.created_at,
});

