import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSimulate, runSimulateFault } from '../cli/commands/simulate';
import { parseDuration } from '../cli/options';
import { type CliContext, UsageError } from '../cli/context';
import { chatBody, postChat } from './testing';

function fakeContext(): { context: CliContext; output: () => string; errors: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  let errorText = '';
  stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  stderr.on('data', (chunk: Buffer) => {
    errorText += chunk.toString('utf8');
  });
  const context: CliContext = {
    dataDir: '/nonexistent',
    env: {},
    stdout,
    stderr,
    stdin: new PassThrough(),
  };
  return { context, output: () => text, errors: () => errorText };
}

describe('fleetdeck simulate and simulate-fault', () => {
  it('prints the base URL first, serves the built-in fleet, and takes faults from the CLI', async () => {
    const { context, output } = fakeContext();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const running = runSimulate({ seed: '7', key: 'sk-cli', latencyScale: '0' }, context, stopped);
    await expect.poll(() => output().includes('\n')).toBe(true);
    const url = output().split('\n')[0] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output()).toContain(`${url}/sim-together/v1`);

    const faultContext = fakeContext();
    const injected = await runSimulateFault(
      { url, key: 'sk-cli', kind: '503', provider: 'sim-together', for: '60s' },
      faultContext.context,
    );
    expect(injected).toBe(0);
    expect(JSON.parse(faultContext.output())).toEqual({ id: expect.any(String) });
    const model = 'deepseek-ai/DeepSeek-V3';
    expect(
      (await postChat(`${url}/sim-together/v1`, chatBody(model), { key: 'sk-cli' })).status,
    ).toBe(503);

    // A target it does not serve, or no key where one is wanted: the operator's input, exit 2.
    const refused = fakeContext();
    expect(
      await runSimulateFault({ url, key: 'sk-cli', kind: '503', provider: 'nope' }, refused.context),
    ).toBe(2);
    expect(refused.errors()).toBe('fleetdeck: simulator refused: target.provider: no simulated provider "nope" (served: sim-synthetic, sim-together)\n');
    const keyless = fakeContext();
    expect(await runSimulateFault({ url, list: true }, keyless.context)).toBe(2);
    expect(keyless.errors()).toMatch(/^fleetdeck: simulator refused: .+ \(this simulator wants --key\)\n$/);

    const cleared = fakeContext();
    expect(await runSimulateFault({ url, key: 'sk-cli', clear: true }, cleared.context)).toBe(0);
    expect(JSON.parse(cleared.output())).toEqual({ cleared: 1 });
    expect(
      (await postChat(`${url}/sim-together/v1`, chatBody(model), { key: 'sk-cli' })).status,
    ).toBe(200);

    stop();
    expect(await running).toBe(0);
  });

  it('rejects a bad fault, port or duration as a usage error', async () => {
    const { context } = fakeContext();
    await expect(
      runSimulateFault({ url: 'http://127.0.0.1:1', kind: 'explode' }, context),
    ).rejects.toThrow(/invalid fault: kind/);
    await expect(runSimulate({ seed: '1', port: 'abc' }, context)).rejects.toBeInstanceOf(
      UsageError,
    );
    expect(() => parseDuration('soon', '--for')).toThrow(UsageError);
    expect([
      parseDuration('60s', '--for'),
      parseDuration('250ms', '--for'),
      parseDuration('2m', '--for'),
      parseDuration('1h', '--for'),
    ]).toEqual([60_000, 250, 120_000, 3_600_000]);
    // One parser for every duration flag; soak's --duration wants a unit (10 is not 10 minutes).
    expect(() => parseDuration('10', '--duration', { unit: 'required' })).toThrow('--duration needs a unit, such as 90s, 10m or 1h (got "10", which would be milliseconds)');
  });
});
