/**
 * Simulator throughput: non-streaming chat completions at concurrency 50 over a keep-alive undici
 * Pool, against (1) a bare node:http server answering a fixed JSON body and (2) the simulator with
 * the built-in fleet and no latency. Each server runs in its own child process, so the load
 * generator does not share its event loop. Target: the simulator sustains >= 5,000 requests/s.
 *
 *   npx tsx bench/simulator.bench.ts [--requests 20000] [--concurrency 50]
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const TARGET_RPS = 5_000;

export interface BenchResult {
  name: string;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  failures: number;
}

const MODELS = [
  'deepseek-ai/DeepSeek-V3',
  'Qwen/Qwen2.5-72B-Instruct-Turbo',
  'meta-llama/Llama-3.3-70B-Instruct-Turbo',
  'zai-org/GLM-4.5-Air-FP8',
];
const TEAMS = [
  'Arsenal',
  'Chelsea',
  'Everton',
  'Fulham',
  'Liverpool',
  'Brentford',
  'Burnley',
  'Leeds United',
];

function requestBodies(): string[] {
  const bodies: string[] = [];
  for (let index = 0; index < 64; index++) {
    const home = TEAMS[index % TEAMS.length];
    const away = TEAMS[(index * 3 + 1) % TEAMS.length];
    bodies.push(
      JSON.stringify({
        model: MODELS[index % MODELS.length],
        max_tokens: 512,
        temperature: 0.2,
        messages: [
          {
            role: 'system',
            content:
              'You are a football analyst. Predict the final score. Reply with the JSON only.',
          },
          {
            role: 'user',
            content: `Predict the final score of this match.\n${home} (strength ${50 + index}) vs ${away} (strength ${70 - (index % 20)})\nAnswer as {"homeScore": number, "awayScore": number}.`,
          },
        ],
      }),
    );
  }
  return bodies;
}

async function serveBaseline(): Promise<number> {
  const body = JSON.stringify({
    id: 'chatcmpl-baseline',
    object: 'chat.completion',
    created: 0,
    model: 'baseline',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: '{"homeScore":2,"awayScore":1}' },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 40, completion_tokens: 8, total_tokens: 48 },
  });
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function serveSimulator(): Promise<number> {
  const { startSimulator } = await import('../src-main/simulator');
  const simulator = await startSimulator({ seed: 1, latencyScale: 0 });
  return simulator.port;
}

/** Starts a server in a child process and returns its base URL and a stop function. */
function startChild(
  kind: 'baseline' | 'simulator',
): Promise<{ origin: string; path: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--serve', kind], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (message) => {
      const { port } = message as { port: number };
      resolve({
        origin: `http://127.0.0.1:${port}`,
        path: kind === 'simulator' ? '/sim-together/v1/chat/completions' : '/v1/chat/completions',
        stop: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      });
    });
  });
}

async function load(
  name: string,
  origin: string,
  path: string,
  total: number,
  concurrency: number,
): Promise<BenchResult> {
  const pool = new Pool(origin, {
    connections: concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const bodies = requestBodies();
  const headers = { 'content-type': 'application/json', authorization: 'Bearer bench' };
  let issued = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (issued < total) {
      const index = issued++;
      const response = await pool.request({
        origin,
        path,
        method: 'POST',
        headers,
        body: bodies[index % bodies.length],
      });
      await response.body.text();
      if (response.statusCode !== 200) failures++;
    }
  };
  const run = async (count: number): Promise<number> => {
    issued = 0;
    const limit = total;
    total = count;
    const startedAt = process.hrtime.bigint();
    await Promise.all(Array.from({ length: concurrency }, worker));
    total = limit;
    return Number(process.hrtime.bigint() - startedAt) / 1e9;
  };
  await run(Math.min(5_000, total));
  failures = 0;
  const seconds = await run(total);
  await pool.close();
  return { name, requests: total, seconds, requestsPerSecond: total / seconds, failures };
}

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

export async function runSimulatorBench(
  total = 20_000,
  concurrency = 50,
): Promise<{ baseline: BenchResult; simulator: BenchResult; ok: boolean }> {
  const results: BenchResult[] = [];
  for (const kind of ['baseline', 'simulator'] as const) {
    const child = await startChild(kind);
    try {
      results.push(await load(kind, child.origin, child.path, total, concurrency));
    } finally {
      child.stop();
    }
  }
  const [baseline, simulator] = results as [BenchResult, BenchResult];
  return {
    baseline,
    simulator,
    ok: simulator.requestsPerSecond >= TARGET_RPS && simulator.failures === 0,
  };
}

async function main(): Promise<void> {
  const serveAt = process.argv.indexOf('--serve');
  if (serveAt !== -1) {
    const port =
      process.argv[serveAt + 1] === 'baseline' ? await serveBaseline() : await serveSimulator();
    process.send?.({ port });
    return;
  }
  const total = flag('--requests', 20_000);
  const concurrency = flag('--concurrency', 50);
  const { baseline, simulator, ok } = await runSimulatorBench(total, concurrency);
  const line = (result: BenchResult): string =>
    `${result.name.padEnd(10)} ${result.requests} requests in ${result.seconds.toFixed(2)} s: ${Math.round(result.requestsPerSecond)} req/s (${result.failures} failures)`;
  process.stdout.write(
    `simulator bench: non-streaming, concurrency ${concurrency}, undici keep-alive Pool, servers in child processes\n`,
  );
  process.stdout.write(`${line(baseline)}\n${line(simulator)}\n`);
  process.stdout.write(
    `simulator / bare node:http = ${(simulator.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}; target >= ${TARGET_RPS} req/s: ${ok ? 'met' : 'MISSED'}\n`,
  );
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
