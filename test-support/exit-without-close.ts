/**
 * A process that runs one canary call and exits without closing its engine host, as a CLI does
 * when its stdout is closed under it:
 *   node --import tsx test-support/exit-without-close.ts DATA_DIR MODEL_ID
 */
import { ensureFleet } from '../src-main/ipc/first-launch';
import { runCanary } from '../src-main/services/canary';
import { openEngineHost } from '../src-main/services/engine-host';
import { openWorkspace } from '../src-main/services/workspace';

async function main(): Promise<void> {
  const [dataDir, modelId] = process.argv.slice(2);
  if (!dataDir || !modelId) throw new Error('usage: exit-without-close.ts DATA_DIR MODEL_ID');
  const workspace = openWorkspace(dataDir);
  ensureFleet(workspace, 'exit-without-close');
  const host = await openEngineHost(workspace, { simulatorLatencyScale: 0, env: {} });
  const report = await runCanary(host, { models: [modelId], fixtures: 1, concurrency: 1 });
  process.stdout.write(`${report.runId}\n`);
  process.exit(0);
}

void main();
