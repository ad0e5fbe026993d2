/** Succeeded and failed items as two segments of the planned total. */
export function ProgressBar({
  done,
  total,
  succeeded,
  failed,
}: {
  done: number;
  total: number;
  succeeded: number;
  failed: number;
}) {
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
