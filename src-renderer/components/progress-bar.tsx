export interface Progress {
  done: number;
  total: number;
  succeeded: number;
  failed: number;
}

/** Succeeded and failed items as two segments of the planned total (a run, a gate, a compare). */
export function ProgressBar({ progress }: { progress: Progress }) {
  const { done, total, succeeded, failed } = progress;
  const width = (count: number) => `${total === 0 ? 0 : (count / total) * 100}%`;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-label={`${done} of ${total} done, ${failed} failed`}
      title={`${done} of ${total} done · ${succeeded} ok · ${failed} failed`}
    >
      <span className="ok" style={{ width: width(succeeded) }} />
      <span className="bad" style={{ width: width(failed) }} />
    </div>
  );
}
