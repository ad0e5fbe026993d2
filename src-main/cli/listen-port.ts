import { UsageError } from './context';

/** Starts a server on `port`, turning a port that cannot be taken into a usage error (exit 2). */
export async function listenOnPort<T>(port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: pick another with --port, or leave it out for a free one`);
    if (code === 'EACCES') throw new UsageError(`port ${port} needs privileges this user does not have: pick one above 1023, or leave --port out for a free one`);
    throw error;
  }
}
