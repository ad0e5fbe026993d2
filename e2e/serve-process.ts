import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

export interface ServeProcess {
  /** The URL fleetdeck serve printed first, token included. */
  url: string;
  dataDir: string;
  /** What the server wrote on stderr so far (shown when a test fails). */
  stderr(): string;
  /** Sends SIGTERM (SIGKILL after 10 s), removes the data folder, resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `fleetdeck serve` on a free port with a fresh data folder (so first launch creates the
 * simulated fleet), the simulator at full speed and output checks on, and resolves with the URL
 * from its first stdout line.
 */
export async function startServe(options: { env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-e2e-'));
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'fleetdeck'),
      '--data-dir',
      dataDir,
      'serve',
      '--no-open',
      '--probe-every',
      '0',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        FLEETDECK_SIMULATOR_LATENCY_SCALE: '0',
        FLEETDECK_CHECK_OUTPUT: '1',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const onData = (chunk: string): void => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        child.stdout.off('data', onData);
        resolve(stdout.slice(0, newline));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    void exited.then(() =>
      reject(new Error(`fleetdeck serve exited before printing its URL:\n${stderr}`)),
    );
  });
  return {
    url,
    dataDir,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      return exited;
    },
  };
}
