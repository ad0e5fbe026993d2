/**
 * One fetch in flight per key. A request that arrives while one is in flight is not dropped:
 * the answer on its way may predate what prompted it (a pushed event, a saved change), so the
 * fetch runs once more when it lands, and every caller resolves with the latest answer. A fetch
 * that resolves `undefined` (it failed, and said so in the store) stops there.
 */
export function fetchLatest<T>(
  fetchOnce: (key: string) => Promise<T | undefined>,
): (key: string) => Promise<T | undefined> {
  const inFlight = new Map<string, Promise<T | undefined>>();
  const fetchAgain = new Set<string>();
  const fetchUntilCurrent = async (key: string): Promise<T | undefined> => {
    let latest: T | undefined;
    do {
      fetchAgain.delete(key);
      latest = await fetchOnce(key);
      if (latest === undefined) return undefined;
    } while (fetchAgain.has(key));
    return latest;
  };
  return (key) => {
    const pending = inFlight.get(key);
    if (pending) {
      fetchAgain.add(key);
      return pending;
    }
    const fetching = fetchUntilCurrent(key).finally(() => inFlight.delete(key));
    inFlight.set(key, fetching);
    return fetching;
  };
}
