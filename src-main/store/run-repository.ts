import { type CallRecord, CallRecordSchema, type PromptVersions, PromptVersionsSchema, type Run, type RunItem, RunItemSchema, type RunKind, type RunStatus } from '../../src-shared/domain';
import type { Db } from './database';

interface RunRow {
  id: string;
  kind: string;
  task: string;
  status: string;
  plan: string;
  pinned_versions: string;
  budget_micros: number | null;
  started_at: string;
  finished_at: string | null;
  summary: string | null;
  prompt_versions: string | null;
}

export interface StoredRun extends Run {
  summary: unknown;
  /** What the run composes its prompts with, pinned when it was created; null for older runs. */
  promptVersions: PromptVersions | null;
}

const RECORD_COLUMNS = [
  'run_id', 'item_key', 'fixture_id', 'intended_model', 'actual_model', 'fallback_depth', 'fallback_reason',
  'attempt', 'config_version', 'prompt_variant', 'timeout_ms', 'started_at', 'ttft_ms', 'latency_ms', 'status',
  'final', 'error_class', 'error_message', 'http_status', 'prompt_tokens', 'completion_tokens', 'reasoning_tokens',
  'cost_micros', 'estimated_cost_micros', 'reply_length', 'reply_excerpt', 'reasoning_excerpt', 'parsed_value', 'coercions', 'parse_steps',
] as const;

/** What the budget counts as spent: known costs, else the worst case settled for a billed attempt. */
const SPENT = 'COALESCE(SUM(COALESCE(cost_micros, estimated_cost_micros)), 0)';

/** Runs and their call records. Every write is one short synchronous statement. */
export class RunRepository {
  private readonly insertRecord;
  private readonly insertRun;

  constructor(private readonly db: Db) {
    this.insertRecord = db.prepare(
      `INSERT INTO call_records (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.insertRun = db.prepare(
      `INSERT INTO runs (id, kind, task, status, plan, pinned_versions, prompt_versions, budget_micros, started_at, owner_pid)
       VALUES (@id, @kind, @task, @status, @plan, @pinned_versions, @prompt_versions, @budget_micros, @started_at, @owner_pid)`,
    );
  }

  createRun(run: {
    id: string;
    kind: RunKind;
    task: string;
    items: RunItem[];
    pinnedVersions: Record<string, number>;
    promptVersions?: PromptVersions | null;
    budgetMicros: number | null;
    startedAt: string;
  }): void {
    this.insertRun.run({
      id: run.id,
      kind: run.kind,
      task: run.task,
      status: 'running',
      plan: JSON.stringify(run.items),
      pinned_versions: JSON.stringify(run.pinnedVersions),
      prompt_versions: run.promptVersions ? JSON.stringify(run.promptVersions) : null,
      budget_micros: run.budgetMicros,
      started_at: run.startedAt,
      owner_pid: process.pid,
    });
  }

  /** Takes over a run (resume): it is running again, owned by this process. */
  claimRun(id: string): void {
    this.db.prepare("UPDATE runs SET status = 'running', owner_pid = ?, finished_at = NULL WHERE id = ?").run(process.pid, id);
  }

  finishRun(id: string, status: RunStatus, finishedAt: string, summary: unknown): void {
    this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?')
      .run(status, finishedAt, JSON.stringify(summary), id);
  }

  setStatus(id: string, status: RunStatus): void {
    this.db.prepare('UPDATE runs SET status = ? WHERE id = ?').run(status, id);
  }

  /**
   * After a crash or restart: runs left `running` by a process that no longer exists become
   * `interrupted` (resumable). Runs of live processes (another CLI, the console) are left alone.
   */
  markInterrupted(isAlive: (pid: number) => boolean = processIsAlive): string[] {
    const rows = this.db.prepare("SELECT id, owner_pid FROM runs WHERE status = 'running'").all() as { id: string; owner_pid: number | null }[];
    const orphaned = rows.filter((row) => row.owner_pid === null || (row.owner_pid !== process.pid && !isAlive(row.owner_pid)));
    const update = this.db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?");
    for (const row of orphaned) update.run(row.id);
    return orphaned.map((row) => row.id);
  }

  getRun(id: string): StoredRun | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  listRuns(limit = 100): StoredRun[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?').all(limit) as RunRow[]).map(toRun);
  }

  addRecord(record: CallRecord): number {
    const row: Record<(typeof RECORD_COLUMNS)[number], unknown> = {
      run_id: record.runId,
      item_key: record.itemKey,
      fixture_id: record.fixtureId,
      intended_model: record.intendedModel,
      actual_model: record.actualModel,
      fallback_depth: record.fallbackDepth,
      fallback_reason: record.fallbackReason,
      attempt: record.attempt,
      config_version: record.configVersion,
      prompt_variant: record.promptVariant,
      timeout_ms: record.timeoutMs,
      started_at: record.startedAt,
      ttft_ms: record.ttftMs,
      latency_ms: record.latencyMs,
      status: record.status,
      final: record.final ? 1 : 0,
      error_class: record.errorClass,
      error_message: record.errorMessage,
      http_status: record.httpStatus,
      prompt_tokens: record.promptTokens,
      completion_tokens: record.completionTokens,
      reasoning_tokens: record.reasoningTokens,
      cost_micros: record.costMicros,
      estimated_cost_micros: record.estimatedCostMicros,
      reply_length: record.replyLength,
      reply_excerpt: record.replyExcerpt,
      reasoning_excerpt: record.reasoningExcerpt,
      parsed_value: record.parsedValue === null || record.parsedValue === undefined ? null : JSON.stringify(record.parsedValue),
      coercions: JSON.stringify(record.coercions),
      parse_steps: JSON.stringify(record.parseSteps),
    };
    // Bound by position: better-sqlite3 binding 30 values by name cost twice as much per insert.
    const result = this.insertRecord.run(...RECORD_COLUMNS.map((column) => row[column]));
    return Number(result.lastInsertRowid);
  }

  /**
   * Call records, newest first; a run's in call order. With a limit, the newest `limit` of them
   * (a run's page of its latest calls lists those, still in call order).
   */
  records(filter: { runId?: string; modelId?: string; limit?: number } = {}): CallRecord[] {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.runId) {
      where.push('run_id = ?');
      values.push(filter.runId);
    }
    if (filter.modelId) {
      where.push('(actual_model = ? OR intended_model = ?)');
      values.push(filter.modelId, filter.modelId);
    }
    // Newest first; a run's records in call order, and with a limit the newest `limit` of them.
    const newest = `SELECT * FROM call_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const sql = filter.runId ? `SELECT * FROM (${newest}) ORDER BY id ASC` : newest;
    values.push(filter.limit ?? 100_000);
    return (this.db.prepare(sql).all(...values) as Record<string, unknown>[]).map(toRecord);
  }

  /** One call record by its id. */
  record(id: number): CallRecord | undefined {
    const row = this.db.prepare('SELECT * FROM call_records WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row ? toRecord(row) : undefined;
  }

  /**
   * A run's decided items so far, those answered, and the recorded cost of its calls: where a
   * resume's live progress starts, counted as the Runs view counts them (known costs only).
   */
  finishedTally(runId: string): { done: number; succeeded: number; viaFallback: number; costMicros: number } {
    return this.db
      .prepare(
        `SELECT COALESCE(SUM(final), 0) AS done,
                COALESCE(SUM(CASE WHEN final = 1 AND status = 'success' THEN 1 ELSE 0 END), 0) AS succeeded,
                COALESCE(SUM(CASE WHEN final = 1 AND status = 'success' AND fallback_depth > 0 THEN 1 ELSE 0 END), 0) AS viaFallback,
                COALESCE(SUM(cost_micros), 0) AS costMicros
         FROM call_records WHERE run_id = ?`,
      )
      .get(runId) as { done: number; succeeded: number; viaFallback: number; costMicros: number };
  }

  /** Item keys of a run that already have their final record (resume skips them). */
  finishedItemKeys(runId: string): Set<string> {
    const rows = this.db.prepare('SELECT item_key FROM call_records WHERE run_id = ? AND final = 1').all(runId) as { item_key: string }[];
    return new Set(rows.map((row) => row.item_key));
  }

  /**
   * Micro-dollars a run's records say it spent, as the budget counts it: known costs, plus the
   * worst case settled for billed attempts whose usage never arrived.
   */
  spentByRun(runId: string): number {
    const row = this.db.prepare(`SELECT ${SPENT} AS spent FROM call_records WHERE run_id = ?`).get(runId) as { spent: number };
    return row.spent;
  }

  /** Micro-dollars spent since `sinceIso`, as the budget counts it (see spentByRun). */
  spentSince(sinceIso: string): number {
    const row = this.db.prepare(`SELECT ${SPENT} AS spent FROM call_records WHERE started_at >= ?`).get(sinceIso) as { spent: number };
    return row.spent;
  }
}

function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    kind: row.kind as RunKind,
    task: row.task,
    status: row.status as RunStatus,
    items: RunItemSchema.array().parse(JSON.parse(row.plan)),
    pinnedVersions: JSON.parse(row.pinned_versions),
    promptVersions: row.prompt_versions === null ? null : PromptVersionsSchema.parse(JSON.parse(row.prompt_versions)),
    budgetMicros: row.budget_micros,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    summary: row.summary === null ? null : JSON.parse(row.summary),
  };
}

function toRecord(row: Record<string, unknown>): CallRecord {
  return CallRecordSchema.parse({
    id: row.id,
    runId: row.run_id,
    itemKey: row.item_key,
    fixtureId: row.fixture_id,
    intendedModel: row.intended_model,
    actualModel: row.actual_model,
    fallbackDepth: row.fallback_depth,
    fallbackReason: row.fallback_reason,
    attempt: row.attempt,
    configVersion: row.config_version,
    promptVariant: row.prompt_variant,
    timeoutMs: row.timeout_ms,
    startedAt: row.started_at,
    ttftMs: row.ttft_ms,
    latencyMs: row.latency_ms,
    status: row.status,
    final: row.final === 1,
    errorClass: row.error_class,
    errorMessage: row.error_message,
    httpStatus: row.http_status,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    reasoningTokens: row.reasoning_tokens,
    costMicros: row.cost_micros,
    estimatedCostMicros: row.estimated_cost_micros,
    replyLength: row.reply_length,
    replyExcerpt: row.reply_excerpt,
    reasoningExcerpt: row.reasoning_excerpt,
    parsedValue: row.parsed_value === null ? null : JSON.parse(row.parsed_value as string),
    coercions: JSON.parse(row.coercions as string),
    parseSteps: JSON.parse((row.parse_steps as string | undefined) ?? '[]'),
  });
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
