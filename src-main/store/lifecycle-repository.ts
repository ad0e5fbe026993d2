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

interface ItemRow {
  run_id: string;
  kind: string;
  run_started_at: string;
  item_key: string;
  model_id: string;
  config_version: number | null;
  fixture_id: string;
  decided: number;
  own_success: number;
  fallback_success: number;
  final_error: string | null;
  own_error: string | null;
  timeout_ms: number | null;
  own_latency: number | null;
  own_ttft: number | null;
  own_prompt: number | null;
  own_completion: number | null;
  own_attempts: number;
  own_5xx: number;
  cost: number;
  unknown_cost: number;
  fallback_cost: number;
  started_at: string;
}

const ITEM_FACTS = `
SELECT c.run_id, r.kind, r.started_at AS run_started_at, c.item_key, MIN(c.intended_model) AS model_id,
  MAX(CASE WHEN c.fallback_depth = 0 THEN c.config_version END) AS config_version,
  MIN(c.fixture_id) AS fixture_id,
  MAX(c.final) AS decided,
  MAX(CASE WHEN c.final = 1 AND c.status = 'success' AND c.fallback_depth = 0 THEN 1 ELSE 0 END) AS own_success,
  MAX(CASE WHEN c.final = 1 AND c.status = 'success' AND c.fallback_depth > 0 THEN 1 ELSE 0 END) AS fallback_success,
  MAX(CASE WHEN c.final = 1 THEN c.error_class END) AS final_error,
  MAX(CASE WHEN c.fallback_depth = 0 AND c.status = 'failure' THEN c.error_class END) AS own_error,
  MAX(CASE WHEN c.fallback_depth = 0 THEN c.timeout_ms END) AS timeout_ms,
  MAX(CASE WHEN c.fallback_depth = 0 AND c.status = 'success' THEN c.latency_ms END) AS own_latency,
  MAX(CASE WHEN c.fallback_depth = 0 AND c.status = 'success' THEN c.ttft_ms END) AS own_ttft,
  MAX(CASE WHEN c.fallback_depth = 0 AND c.status = 'success' THEN c.prompt_tokens END) AS own_prompt,
  MAX(CASE WHEN c.fallback_depth = 0 AND c.status = 'success' THEN c.completion_tokens END) AS own_completion,
  SUM(CASE WHEN c.fallback_depth = 0 AND c.attempt > 0 THEN 1 ELSE 0 END) AS own_attempts,
  SUM(CASE WHEN c.fallback_depth = 0 AND c.http_status >= 500 THEN 1 ELSE 0 END) AS own_5xx,
  COALESCE(SUM(c.cost_micros), 0) AS cost,
  SUM(CASE WHEN c.cost_micros IS NULL AND c.http_status IS NOT NULL AND c.http_status < 400 THEN 1 ELSE 0 END) AS unknown_cost,
  COALESCE(SUM(CASE WHEN c.fallback_depth > 0 THEN c.cost_micros END), 0) AS fallback_cost,
  MIN(c.started_at) AS started_at
FROM call_records c JOIN runs r ON r.id = c.run_id`;

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

  /** Whether any gate run tested this exact version of a change. */
  gated(kind: string, name: string, version: number): boolean {
    return this.db.prepare('SELECT 1 FROM regression_gates WHERE change_kind = ? AND change_name = ? AND version = ?').get(kind, name, version) !== undefined;
  }

  /** Every config version of every model (one query), oldest first per model. */
  allConfigVersions(): { modelId: string; version: number; config: string; note: string; createdAt: string }[] {
    return this.db
      .prepare('SELECT model_id AS modelId, version, config, note, created_at AS createdAt FROM config_versions ORDER BY model_id, version')
      .all() as { modelId: string; version: number; config: string; note: string; createdAt: string }[];
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

  /** Per-item facts, newest run first; optionally only one model's or one run's items. */
  itemFacts(filter: { modelId?: string; runId?: string; sinceIso?: string } = {}): ItemFact[] {
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
    if (filter.sinceIso !== undefined) {
      where.push('r.started_at >= ?');
      values.push(filter.sinceIso);
    }
    const sql = `${ITEM_FACTS} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY c.run_id, c.item_key ORDER BY r.started_at DESC, c.run_id DESC, MIN(c.id)`;
    return (this.db.prepare(sql).all(...values) as ItemRow[]).map(toItemFact);
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

function toItemFact(row: ItemRow): ItemFact {
  return {
    runId: row.run_id,
    kind: row.kind,
    runStartedAt: row.run_started_at,
    itemKey: row.item_key,
    modelId: row.model_id,
    configVersion: row.config_version,
    fixtures: row.fixture_id.split('+').length,
    decided: row.decided === 1,
    ownSuccess: row.own_success === 1,
    fallbackSuccess: row.fallback_success === 1,
    finalErrorClass: row.final_error,
    ownErrorClass: row.own_error,
    timeoutMs: row.timeout_ms,
    ownLatencyMs: row.own_latency,
    ownTtftMs: row.own_ttft,
    ownPromptTokens: row.own_prompt,
    ownCompletionTokens: row.own_completion,
    ownAttempts: row.own_attempts,
    ownServerErrors: row.own_5xx,
    costMicros: row.unknown_cost > 0 ? null : row.cost,
    fallbackCostMicros: row.fallback_cost,
    startedAt: row.started_at,
  };
}
