import { useState } from 'react';
import type { CallSummaryView, ModelDetailView } from '../../src-shared/ipc';
import { EmptyState } from '../components/empty-state';
import { InlineError } from '../components/inline-error';
import { useAsyncAction } from '../components/use-async-action';
import { formatMs, formatTokens, formatUsd, formatUtc } from '../format';
import { useActions } from '../state';

function parseSteps(handler: ModelDetailView['config']['responseHandler']): string {
  if (handler === 'strict') return 'strict: JSON.parse of the whole reply';
  if (handler === 'auto')
    return 'auto: capture-reasoning → strip-fences → extract-json → repair-json → coerce';
  return handler.join(' → ');
}

function prettyReply(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function CopyButton({ text }: { text: string }) {
  return (
    <button
      type="button"
      className="small"
      onClick={() => void navigator.clipboard?.writeText(text)}
    >
      Copy
    </button>
  );
}

/** The prompt and request body the call sent, composed again when first opened (not stored per call). */
function CallRequest({ callId }: { callId: number }) {
  const { callRequest } = useActions();
  const load = useAsyncAction(callRequest);
  const view = load.result;
  const body = view?.body ? JSON.stringify(view.body, null, 2) : null;
  return (
    <details
      data-call-request={callId}
      onToggle={(event) => {
        if (event.currentTarget.open && view === null && !load.pending) void load.run(callId);
      }}
    >
      <summary className="small">Request (prompt and parameters)</summary>
      {load.pending && <div className="small muted">Composing…</div>}
      {load.error && <InlineError error={load.error} />}
      {view && (
        <div className="stack">
          <div className="row small">
            <span>
              {view.modelId} config v{view.configVersion} · fixture {view.fixtureIds.join(', ')}
            </span>
            {view.sections.map((section) => (
              <span key={`${section.kind}:${section.name}`} className="tag">
                {section.kind === 'override'
                  ? 'model override'
                  : `${section.name}${section.version === null ? '' : ` v${section.version}`}`}
              </span>
            ))}
          </div>
          {!view.sent && (
            <div className="small" data-request-not-sent>
              Not sent: this is the prompt the call would have had.
            </div>
          )}
          {view.notes.map((note, index) => (
            // Notes are fixed sentences in a fixed order: the index keys them stably.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <div key={index} className="small muted" data-request-note>
              {note}
            </div>
          ))}
          <div className="row small">
            <strong>System</strong>
            <CopyButton text={view.system} />
          </div>
          <pre className="reply" data-request-part="system">
            {view.system}
          </pre>
          <strong className="small">User</strong>
          <pre className="reply" data-request-part="user">
            {view.user}
          </pre>
          {body !== null && (
            <>
              <div className="row small">
                <strong>Body</strong>
                <span className="muted">the API key goes in a header, never in the body</span>
                <CopyButton text={body} />
              </div>
              <pre className="reply" data-request-part="body">
                {body}
              </pre>
            </>
          )}
        </div>
      )}
    </details>
  );
}

function CallDetail({ call, detail }: { call: CallSummaryView; detail: ModelDetailView }) {
  const [pretty, setPretty] = useState(true);
  const version = detail.versions.find((candidate) => candidate.version === call.configVersion);
  return (
    <div className="stack" style={{ padding: '4px 0 10px' }} data-call-detail={call.id}>
      <div className="row small">
        <span>
          Reply handler (v{call.configVersion}):{' '}
          <span className="mono">
            {version ? parseSteps(version.config.responseHandler) : 'unknown'}
          </span>
        </span>
      </div>
      {call.parseSteps.length > 0 && (
        <ol className="small mono" data-parse-steps={call.parseSteps.length} style={{ margin: 0 }}>
          {call.parseSteps.map((step) => (
            <li key={`${step.step}:${step.outcome}:${step.detail}`}>
              <span
                className={
                  step.outcome === 'failed'
                    ? 'tag bad'
                    : step.outcome === 'applied'
                      ? 'tag warn'
                      : 'tag'
                }
              >
                {step.step}: {step.outcome}
              </span>{' '}
              {step.detail}
            </li>
          ))}
        </ol>
      )}
      <div className="row small">
        <span>Coercions:</span>
        {call.coercions.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          call.coercions.map((coercion) => (
            <span key={coercion} className="tag warn">
              {coercion}
            </span>
          ))
        )}
        {call.fallbackDepth > 0 && (
          <span className="tag">
            answered by {call.actualModel} (fallback depth {call.fallbackDepth}:{' '}
            {call.fallbackReason})
          </span>
        )}
      </div>
      <div className="row small">
        <strong>Reply</strong>
        <span className="muted">
          {call.replyLength.toLocaleString('en-US')} characters
          {call.replyLength > call.replyExcerpt.length ? ' (excerpt)' : ''}
        </span>
        <span className="seg">
          <button type="button" aria-pressed={pretty} onClick={() => setPretty(true)}>
            Pretty
          </button>
          <button type="button" aria-pressed={!pretty} onClick={() => setPretty(false)}>
            Raw
          </button>
        </span>
        <CopyButton text={call.replyExcerpt} />
      </div>
      <pre className="reply">
        {pretty ? prettyReply(call.replyExcerpt) : call.replyExcerpt || '(empty reply)'}
      </pre>
      {call.reasoningExcerpt && (
        <details data-call-reasoning>
          <summary className="small">
            {call.reasoningTokens === null
              ? 'Reasoning (the provider reported no reasoning token count)'
              : `Reasoning (${formatTokens(call.reasoningTokens)} tokens)`}
          </summary>
          <pre className="reply">{call.reasoningExcerpt}</pre>
        </details>
      )}
      <div className="small">
        <strong>Parsed:</strong>{' '}
        <span className="mono">
          {call.parsedValue === null || call.parsedValue === undefined
            ? '—'
            : JSON.stringify(call.parsedValue)}
        </span>
      </div>
      {call.errorMessage && (
        <div className="small" style={{ color: 'var(--bad)' }}>
          {call.errorClass}: {call.errorMessage}
          {call.httpStatus ? ` (HTTP ${call.httpStatus})` : ''}
        </div>
      )}
      <CallRequest key={call.id} callId={call.id} />
    </div>
  );
}

/** Recent calls with the raw reply, the parse steps and coercions, and the reasoning. */
export function ModelCalls({ detail }: { detail: ModelDetailView }) {
  const [open, setOpen] = useState<number | null>(detail.recentCalls[0]?.id ?? null);
  if (detail.recentCalls.length === 0) {
    return (
      <EmptyState title="No calls yet" testId="calls">
        Run a canary for this model (the button above) to see its replies, how they were parsed and
        what they cost.
      </EmptyState>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" data-calls={detail.recentCalls.length}>
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Fixture</th>
            <th>Result</th>
            <th className="num">Latency</th>
            <th className="num" title="Time to first token: streamed calls only">
              TTFT
            </th>
            <th className="num">Tokens in/out</th>
            <th className="num">Cost</th>
            <th>Version</th>
          </tr>
        </thead>
        <tbody>
          {detail.recentCalls.map((call) => (
            <CallRows
              key={call.id}
              call={call}
              detail={detail}
              open={open === call.id}
              onToggle={() => setOpen(open === call.id ? null : call.id)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CallRows({
  call,
  detail,
  open,
  onToggle,
}: {
  call: CallSummaryView;
  detail: ModelDetailView;
  open: boolean;
  onToggle(): void;
}) {
  return (
    <>
      <tr data-call-status={call.status}>
        <td className="small">
          <button type="button" className="link" onClick={onToggle} aria-expanded={open}>
            {open ? '▾' : '▸'} {formatUtc(call.startedAt).replace(' UTC', '')}
          </button>
        </td>
        <td className="small mono">{call.fixtureId}</td>
        <td>
          {call.status === 'success' ? (
            <span className="tag ok">parsed</span>
          ) : (
            <span className="tag bad">{call.errorClass ?? 'failed'}</span>
          )}
          {call.coercions.length > 0 && (
            <span className="tag warn" style={{ marginLeft: 4 }}>
              {call.coercions.length} coerced
            </span>
          )}
        </td>
        <td className="num">{formatMs(call.latencyMs)}</td>
        <td className="num">{formatMs(call.ttftMs)}</td>
        <td className="num">
          {formatTokens(call.promptTokens)} / {formatTokens(call.completionTokens)}
        </td>
        <td className="num">{formatUsd(call.costUsd, { unpriced: detail.row.unpriced })}</td>
        <td className="small">
          v{call.configVersion} · {call.promptVariant}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={8}>
            <CallDetail call={call} detail={detail} />
          </td>
        </tr>
      )}
    </>
  );
}
