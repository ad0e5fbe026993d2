import { useCallback, useRef, useState } from 'react';
import { toUiError, type UiError } from '../state/bridge-port';

/**
 * Pending / error / result of one button's action (a slice action), kept next to the button so
 * the error shows where it happened.
 */
export function useAsyncAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const [result, setResult] = useState<R | null>(null);
  const actionRef = useRef(action);
  actionRef.current = action;
  const run = useCallback(async (...args: A): Promise<R | null> => {
    setPending(true);
    setError(null);
    try {
      const value = await actionRef.current(...args);
      setResult(() => value);
      return value;
    } catch (caught) {
      setError(toUiError(caught));
      return null;
    } finally {
      setPending(false);
    }
  }, []);
  const reset = useCallback(() => {
    setError(null);
    setResult(null);
  }, []);
  return { run, pending, error, result, reset };
}
