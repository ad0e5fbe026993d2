/**
 * Engine overhead against a bare undici loop, in one run against the same simulator (a child
 * process, so its CPU is not counted as the engine's). Prints figures and ratios; no pass/fail.
 *   npx tsx bench/engine.bench.ts [--calls 400] [--warmup 5000]
 * Targets (issue 5): added p50 latency < 1 ms sequentially; at concurrency 50 with 50 ms simulated
 * latency, throughput >= 95% of the bare loop; at 0 ms latency, engine CPU < 0.3 ms per call;
 * streams: added time to first token < 1 ms; a 42 x 10 canary at 50 ms and concurrency 10 within
 * 1.15x of its 2.1 s lower bound.
 */
import { fork } from 'node:child_process';
import { createParser } from 'eventsource-parser';
import fs from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { BUILTIN_VARIANTS, composePrompt, resolveVariant } from '../src-shared/prompts';
import type { RunContext } from '../src-main/engine';
import type { FleetFileInput } from '../src-shared/domain';
import { type ChatRequestBody, sendChat } from '../src-main/engine/http';
import { DEFAULT_CANARY_CONCURRENCY, runCanary } from '../src-main/services/canary';
import { openEngineHost } from '../src-main/services/engine-host';
import { importFleet } from '../src-main/services/fleet-files';
import { currentModels, executeRun, itemKey } from '../src-main/services/run-executor';
import { loadTaskPack } from '../src-main/services/task-packs';
import { openWorkspace } from '../src-main/services/workspace';
import { makeTempDir } from '../test-support/temp-dir';

const ROOT = path.join(__dirname, '..');
const task = loadTaskPack('football-score');
const defaultFleet = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'resources', 'fleets', 'simulated.json'), 'utf8'),
) as FleetFileInput & {
  models: { id: string; provider: string; providerModelId: string }[];
};

const fixedLatency = (ms: number) => ({
  ttftMs: ms,
  ttftSpreadMs: 0,
  tokensPerSecond: 100_000,
  tokensPerSecondSpread: 0,
});

function benchProfiles() {
  const models: Record<string, unknown> = {
    'bench/fast': { provider: 'bench', style: 'clean', latency: fixedLatency(0) },
    'bench/slow50': { provider: 'bench', style: 'clean', latency: fixedLatency(50) },
  };
  for (const model of defaultFleet.models) {
    models[model.providerModelId] = {
      provider: model.provider,
      style: 'clean',
      latency: fixedLatency(50),
    };
  }
  return { version: 1, models };
}

/** The simulator in a child process; resolves its port. */
function startSimulatorChild(): Promise<{ port: number; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--serve'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--import', 'tsx'],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    child.once('message', (message) => {
      resolve({
        port: (message as { port: number }).port,
        stop: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      });
    });
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) {
    const { startSimulator } = await import('../src-main/simulator');
    const simulator = await startSimulator({
      profiles: benchProfiles() as never,
      seed: 1,
      latencyScale: 1,
    });
    process.send?.({ port: simulator.port });
    return;
  }
  const calls = flag('--calls', 400);
  const sim = await startSimulatorChild();
  const base = `http://127.0.0.1:${sim.port}`;
  const temp = makeTempDir('fleetdeck-bench-');
  const workspace = openWorkspace(temp.dir);
  const imported = importFleet(
    workspace,
    {
      version: 1,
      task: 'football-score',
      providers: [
        { id: 'bench', baseUrl: `${base}/bench/v1`, maxConcurrency: 64 },
        ...((defaultFleet.providers ?? []) as { id: string }[]).map((provider) => ({
          ...provider,
          simulated: false,
          baseUrl: `${base}/${provider.id}/v1`,
        })),
      ],
      models: [
        {
          id: 'bench/fast',
          provider: 'bench',
          providerModelId: 'bench/fast',
          pricing: { promptPer1M: 1, completionPer1M: 2 },
        },
        {
          id: 'bench/fast-stream',
          provider: 'bench',
          providerModelId: 'bench/fast',
          pricing: { promptPer1M: 1, completionPer1M: 2 },
          config: { stream: true },
        },
        {
          id: 'bench/slow50',
          provider: 'bench',
          providerModelId: 'bench/slow50',
          pricing: { promptPer1M: 1, completionPer1M: 2 },
        },
        ...defaultFleet.models,
      ],
      budget: { dailyUsd: 1000 },
    },
    'bench',
  );
  if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
  const host = await openEngineHost(workspace, { logToFile: true, env: {} });
  const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  const variant = BUILTIN_VARIANTS.find((entry) => entry.name === 'BASE')!;
  const requestFor = (model: string, index: number, stream = false): ChatRequestBody => {
    const prompt = composePrompt({
      task,
      variant,
      fixtures: [task.fixtures[index % task.fixtures.length]!],
    });
    return {
      model,
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
      max_tokens: 512,
      temperature: 0.2,
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
    };
  };
  const bodyFor = (model: string, index: number, stream = false) =>
    JSON.stringify(requestFor(model, index, stream));
  const bare = async (model: string, index: number) => {
    const started = performance.now();
    const response = await request(`${base}/bench/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bodyFor(model, index),
      dispatcher: agent,
    });
    const json = (await response.body.json()) as { choices: { message: { content: string } }[] };
    JSON.parse(json.choices[0]!.message.content);
    return performance.now() - started;
  };
  // A bare streaming client still has to read SSE to see the first token: the same parser the engine uses.
  const bareStreamTtft = async (index: number) => {
    const started = performance.now();
    const response = await request(`${base}/bench/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bodyFor('bench/fast', index, true),
      dispatcher: agent,
    });
    let ttft = Number.NaN;
    const decoder = new TextDecoder();
    const parser = createParser({
      onEvent(event) {
        if (event.data === '[DONE]' || !Number.isNaN(ttft)) return;
        const json = JSON.parse(event.data) as { choices?: { delta?: { content?: string } }[] };
        if (json.choices?.[0]?.delta?.content) ttft = performance.now() - started;
      },
    });
    for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));
    return ttft;
  };
  const items = (modelId: string, count: number) =>
    Array.from({ length: count }, (_, index) => {
      const fixture = task.fixtures[index % task.fixtures.length]!;
      return {
        key: `${itemKey(modelId, [fixture])}/${index}`,
        modelId,
        fixtures: [fixture],
        explicit: true,
      };
    });
  const engineRun = (
    modelId: string,
    count: number,
    concurrency: number,
    onEvent?: Parameters<typeof executeRun>[1]['onEvent'],
  ) =>
    executeRun(host, {
      kind: 'canary',
      task,
      models: currentModels(host),
      items: items(modelId, count),
      concurrency,
      onEvent,
    });

  const lines: string[] = [];
  let missed = 0;
  /** Each figure says whether it met its target; a miss makes the script exit 1 (run-all reports it). */
  const verdict = (met: boolean) => {
    if (!met) missed++;
    return met ? 'met' : 'MISSED';
  };
  // Rounds alternate bare and engine so drift on a shared machine hits both alike; medians of rounds.
  // Nine: a median of five moved by about 0.01 from run to run on these machines, as much as the
  // c=50 figure sits from its target.
  const rounds = 9;
  const median = (values: number[]) => percentile(values, 50);
  const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

  /** Sequential calls at 0 ms simulated latency: p50 latency and CPU per call, medians of rounds. */
  const measureSequential = async (perRound: number) => {
    const seq = {
      bareP50: [] as number[],
      engineP50: [] as number[],
      bareCpu: [] as number[],
      engineCpu: [] as number[],
    };
    for (let round = 0; round < rounds; round++) {
      let cpu = process.cpuUsage();
      const bareLatencies: number[] = [];
      for (let index = 0; index < perRound; index++)
        bareLatencies.push(await bare('bench/fast', index));
      seq.bareCpu.push(cpuMs(process.cpuUsage(cpu)) / perRound);
      cpu = process.cpuUsage();
      const engineSequential = await engineRun('bench/fast', perRound, 1);
      seq.engineCpu.push(cpuMs(process.cpuUsage(cpu)) / perRound);
      seq.bareP50.push(percentile(bareLatencies, 50));
      seq.engineP50.push(
        percentile(
          engineSequential.results.map((result) => result.latencyMs),
          50,
        ),
      );
    }
    return {
      bareP50: median(seq.bareP50),
      engineP50: median(seq.engineP50),
      bareCpu: median(seq.bareCpu),
      engineCpu: median(seq.engineCpu),
    };
  };
  const perRound = Math.max(50, Math.floor(calls / rounds));

  // Warm both paths (JIT, connections, prepared statements) to their steady state. V8 optimises a
  // function once it has run enough bytecode, so code that runs once per call is compiled late:
  // with --trace-opt, tryModel, sendChat and buildCallRecord were first optimised after the
  // 1000th call, parseReply cost 35 us per reply until about its 3000th and 10 us after, and
  // background compilation still took 0.18 ms of CPU per call over calls 1000-3000. The figure
  // after 1000 calls (in one run) is printed below as the early one; the targets are judged once warm.
  const earlyWarmup = 1000;
  const warmup = Math.max(earlyWarmup, flag('--warmup', 5000));
  for (let index = 0; index < earlyWarmup; index++) await bare('bench/fast', index);
  await engineRun('bench/fast', earlyWarmup, 1);
  const early = await measureSequential(perRound);
  for (let index = earlyWarmup; index < warmup; index++) await bare('bench/fast', index);
  // In runs the size of the measured ones, so the per-run work (pinning models, creating and
  // finishing the run) is as warm as the per-call work.
  for (let done = earlyWarmup; done < warmup; done += perRound)
    await engineRun('bench/fast', perRound, 1);

  // 1. Sequential latency and CPU per call, 0 ms simulated latency.
  const warm = await measureSequential(perRound);
  lines.push(
    `sequential, 0 ms latency, ${rounds} rounds x ${perRound} calls after ${warmup} warm-up calls of each: p50 bare ${warm.bareP50.toFixed(3)} ms, engine ${warm.engineP50.toFixed(3)} ms, added ${(warm.engineP50 - warm.bareP50).toFixed(3)} ms (target < 1 ms: ${verdict(warm.engineP50 - warm.bareP50 < 1)})`,
  );
  lines.push(
    `CPU per call (this process): bare ${warm.bareCpu.toFixed(3)} ms, engine ${warm.engineCpu.toFixed(3)} ms, added by the engine ${(warm.engineCpu - warm.bareCpu).toFixed(3)} ms, engine/bare ${(warm.engineCpu / warm.bareCpu).toFixed(2)} (target: engine adds < 0.3 ms: ${verdict(warm.engineCpu - warm.bareCpu < 0.3)})`,
  );
  lines.push(
    `  early, after ${earlyWarmup} calls of each (JIT still compiling; no verdict): CPU per call bare ${early.bareCpu.toFixed(3)} ms, engine ${early.engineCpu.toFixed(3)} ms, added ${(early.engineCpu - early.bareCpu).toFixed(3)} ms; p50 added ${(early.engineP50 - early.bareP50).toFixed(3)} ms`,
  );

  // 2. Throughput at concurrency 50, 50 ms simulated latency.
  const concurrentCalls = Math.max(500, Math.floor((calls * 3) / rounds));
  const ratios: number[] = [];
  const bareRates: number[] = [];
  const engineRates: number[] = [];
  // One unmeasured round of each first: the concurrent path (queues, batched commits) warms too.
  for (let round = -1; round < rounds; round++) {
    let started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < concurrentCalls) await bare('bench/slow50', next++);
      }),
    );
    const bareRps = concurrentCalls / ((performance.now() - started) / 1000);
    started = performance.now();
    await engineRun('bench/slow50', concurrentCalls, 50);
    const engineRps = concurrentCalls / ((performance.now() - started) / 1000);
    if (round < 0) continue;
    bareRates.push(bareRps);
    engineRates.push(engineRps);
    ratios.push(engineRps / bareRps);
  }
  lines.push(
    `concurrency 50, 50 ms latency, ${rounds} rounds x ${concurrentCalls} calls: bare ${median(bareRates).toFixed(0)} req/s, engine ${median(engineRates).toFixed(0)} req/s, engine/bare ${median(ratios).toFixed(3)} (median of rounds; target >= 0.95: ${verdict(median(ratios) >= 0.95)})`,
  );

  // 3. Streams: time to first token, sequential.
  const bareTtft: number[] = [];
  for (let index = 0; index < Math.min(calls, 200); index++)
    bareTtft.push(await bareStreamTtft(index));
  // The engine's own path for one item: compose, checks, reservation, send, until the first delta.
  const engineTtft: number[] = [];
  let itemStarted = 0;
  const context: RunContext = {
    runId: 'bench-stream',
    task,
    models: currentModels(host),
    providers: new Map(
      host.workspace.fleet.listProviders().map((provider) => [provider.id, provider]),
    ),
    variant: (name) => resolveVariant(name, BUILTIN_VARIANTS),
    costCeiling: 3,
    signal: new AbortController().signal,
    onEvent: (event) => {
      if (event.type === 'first-token') engineTtft.push(performance.now() - itemStarted);
    },
  };
  host.runs.createRun({
    id: 'bench-stream',
    kind: 'canary',
    task: task.id,
    items: [],
    pinnedVersions: {},
    budgetMicros: null,
    startedAt: new Date().toISOString(),
  });
  const preSend: number[] = [];
  for (const [index, item] of items('bench/fast-stream', Math.min(calls, 200)).entries()) {
    itemStarted = performance.now();
    const result = await host.engine.execute(context, item);
    if (engineTtft.length !== index + 1) throw new Error('no first token');
    preSend.push(engineTtft[index]! - (result.records[0]?.ttftMs ?? 0));
  }
  lines.push(
    `streams: p50 time to first token bare ${percentile(bareTtft, 50).toFixed(3)} ms, engine ${percentile(engineTtft, 50).toFixed(3)} ms, added ${(percentile(engineTtft, 50) - percentile(bareTtft, 50)).toFixed(3)} ms (target < 1 ms: ${verdict(percentile(engineTtft, 50) - percentile(bareTtft, 50) < 1)}); of which before the request is sent (checks, prompt, reservation commit): p50 ${percentile(preSend, 50).toFixed(3)} ms`,
  );

  // 4. A canary of the default fleet's 42 models x 10 fixtures at 50 ms, concurrency 10.
  for (const model of host.workspace.fleet.listModels()) {
    if (model.id.startsWith('bench/')) host.workspace.fleet.setActive(model.id, false);
  }
  const started = performance.now();
  const report = await runCanary(host, { fixtures: 10, concurrency: 10 });
  const canarySeconds = (performance.now() - started) / 1000;
  const lowerBound = (report.totals.predictions * 0.05) / 10;
  lines.push(
    `canary ${report.models.length} models x 10 fixtures, 50 ms, concurrency 10: ${canarySeconds.toFixed(2)} s, lower bound ${lowerBound.toFixed(2)} s, ratio ${(canarySeconds / lowerBound).toFixed(3)} (target <= 1.15: ${verdict(canarySeconds / lowerBound <= 1.15)}; ${report.totals.succeeded}/${report.totals.predictions} answered)`,
  );

  // Diagnostics (no verdict), measured last so they never colour the figures above: where the
  // throughput gap is not, and what the CPU figure is once both paths are long warm.
  // The engine's own HTTP client alone, at the same concurrency, against the same bare loop.
  const clientAgent = new Agent({ connections: 64, keepAliveTimeout: 30_000, pipelining: 1 });
  const clientOnly = async (index: number) => {
    const outcome = await sendChat({
      baseUrl: `${base}/bench/v1`,
      apiKey: undefined,
      body: requestFor('bench/slow50', index),
      dispatcher: clientAgent,
      deadlines: { totalMs: 30_000, firstTokenMs: 30_000, idleMs: 30_000 },
    });
    JSON.parse(outcome.content);
  };
  const clientRatios: number[] = [];
  for (let round = 0; round < 3; round++) {
    let next = 0;
    let started = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < concurrentCalls) await bare('bench/slow50', next++);
      }),
    );
    const bareSeconds = performance.now() - started;
    next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < concurrentCalls) await clientOnly(next++);
      }),
    );
    clientRatios.push(bareSeconds / (performance.now() - started));
  }
  await clientAgent.close();
  lines.push(
    `  diagnostic: the engine's HTTP client alone (sendChat, no parse, records or budget) at the same concurrency: ${median(clientRatios).toFixed(3)} of the bare loop`,
  );
  // The CPU figure at the canary's default concurrency, where one group commit serves several calls.
  {
    const concurrent = { bare: [] as number[], engine: [] as number[] };
    for (let round = 0; round < 3; round++) {
      let cpu = process.cpuUsage();
      let next = 0;
      await Promise.all(
        Array.from({ length: DEFAULT_CANARY_CONCURRENCY }, async () => {
          while (next < 400) await bare('bench/fast', next++);
        }),
      );
      concurrent.bare.push(cpuMs(process.cpuUsage(cpu)) / 400);
      cpu = process.cpuUsage();
      await engineRun('bench/fast', 400, DEFAULT_CANARY_CONCURRENCY);
      concurrent.engine.push(cpuMs(process.cpuUsage(cpu)) / 400);
    }
    lines.push(
      `  diagnostic: CPU per call at concurrency ${DEFAULT_CANARY_CONCURRENCY} (the canary's default), 0 ms latency (3 rounds x 400): bare ${median(concurrent.bare).toFixed(3)} ms, engine ${median(concurrent.engine).toFixed(3)} ms, added ${(median(concurrent.engine) - median(concurrent.bare)).toFixed(3)} ms`,
    );
  }

  process.stdout.write(
    `engine bench (simulator in a child process, records persisted to SQLite)\n${lines.map((line) => `  ${line}`).join('\n')}\n`,
  );
  if (missed > 0) process.exitCode = 1;
  await agent.close();
  await host.close();
  workspace.close();
  sim.stop();
  temp.cleanup();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
