import type { UiError } from '../state/bridge-port';

/** An error where it happened: what failed, the problems by field, and what to do about it. */
export function InlineError({
  error,
  title,
  onRetry,
}: {
  error: UiError | null | undefined;
  title?: string;
  onRetry?: () => void;
}) {
  if (!error) return null;
  return (
    <div className="inline-error" role="alert" data-error-code={error.code}>
      <strong>{title ?? 'That did not work'}:</strong> {error.message}
      {error.problems.length > 0 && (
        <ul>
          {error.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="row small" style={{ marginTop: 6 }}>
        <span className="muted">{error.hint}</span>
        {onRetry && (
          <button type="button" className="small" onClick={onRetry}>
            Retry
          </button>
        )}
      </div>
    </div>
  );
}
