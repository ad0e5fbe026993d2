import { runModelCheck } from '../../services/model-check';
import { type CliContext, EXIT, writeJson } from '../context';
import { progressReporter } from '../progress';
import { modelList, selectedModels, withHost } from './lifecycle-shared';

/** Served model lists, ids the providers no longer serve, one sanity prompt per model; exit 1 on any failure. */
export async function runCheckCommand(options: { models?: string; json?: boolean }, context: CliContext): Promise<number> {
  const models = modelList(options.models);
  return withHost(context, async (host, signal) => {
    const report = await runModelCheck(host, { models: selectedModels(host, models), signal, onEvent: progressReporter(context.stderr, 'check') });
    if (options.json) writeJson(context.stdout, report);
    else {
      for (const provider of report.providers) {
        context.stdout.write(`provider ${provider.provider}: ${provider.listed ? `serves ${provider.served} models` : `no model list (${provider.error})`}\n`);
        if (provider.ids && provider.ids.length > 0) context.stdout.write(`  ${provider.ids.join('\n  ')}\n`);
      }
      for (const model of report.models) {
        const served = model.served === null ? 'not listed' : model.served ? 'served' : 'NOT SERVED';
        context.stdout.write(
          `${model.modelId.padEnd(40)} ${served.padEnd(10)} ${model.sanity === 'ok' ? 'ok' : `FAILED ${model.errorClass}: ${model.error}`}\n`,
        );
      }
    }
    return report.ok ? EXIT.ok : EXIT.checkFailed;
  });
}
