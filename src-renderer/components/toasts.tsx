import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useActions, useApp } from '../state';
import type { Toast } from '../state/ui-slice';

const TOAST_MS = 7000;

function ToastItem({ toast }: { toast: Toast }) {
  const { dismissToast } = useActions();
  useEffect(() => {
    if (toast.level === 'error') return;
    const timer = setTimeout(() => dismissToast(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, dismissToast]);
  return (
    <div className={`toast ${toast.level}`} role={toast.level === 'error' ? 'alert' : 'status'}>
      <button
        type="button"
        className="close"
        aria-label="Dismiss"
        onClick={() => dismissToast(toast.id)}
      >
        ×
      </button>
      <strong>{toast.title}</strong>
      {toast.body && <div className="small">{toast.body}</div>}
      {toast.error && (
        <div className="small">
          {toast.error.message} <span className="muted">{toast.error.hint}</span>
        </div>
      )}
    </div>
  );
}

/** Background events (notifications, failures of actions with no field to sit next to). */
export function Toasts() {
  const toasts = useApp(useShallow((state) => state.toasts));
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </div>
  );
}
