import type { Db } from '../src-main/store/database';
import type { ItemFact } from '../src-main/store/lifecycle-repository';

/**
 * The SQL GROUP BY that `LifecycleRepository.itemFacts` replaced: the reference its folding must
 * agree with (tests), and the baseline it is timed against (bench/lifecycle.bench.ts).
 */
const GROUP_BY_SQL = `
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

interface ReferenceRow {
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

export function referenceFacts(handle: Db, where = '', values: unknown[] = []): ItemFact[] {
  const rows = handle
    .prepare(
      `${GROUP_BY_SQL} ${where} GROUP BY c.run_id, c.item_key ORDER BY r.started_at DESC, c.run_id DESC, MIN(c.id)`,
    )
    .all(...values) as ReferenceRow[];
  return rows.map((row) => ({
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
  }));
}
