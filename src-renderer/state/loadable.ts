import type { UiError } from './bridge-port';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** One fetched thing: keeps the last good data while it reloads or after a failed reload. */
export interface Loadable<T> {
  status: LoadStatus;
  data: T | null;
  error: UiError | null;
}

export const idle = <T>(): Loadable<T> => ({ status: 'idle', data: null, error: null });
export const loading = <T>(previous: Loadable<T> | undefined): Loadable<T> => ({
  status: 'loading',
  data: previous?.data ?? null,
  error: null,
});
export const ready = <T>(data: T): Loadable<T> => ({ status: 'ready', data, error: null });
export const failed = <T>(previous: Loadable<T> | undefined, error: UiError): Loadable<T> => ({
  status: 'error',
  data: previous?.data ?? null,
  error,
});
