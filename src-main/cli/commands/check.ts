import { type ModelCheckReport, runModelCheck } from '../../services/model-check';
import { type CliContext, EXIT, writeJson } from '../context';
import { progressReporter } from '../progress';
import { modelList, selectedModels, withHost } from './lifecycle-shared';

/** Served model lists, ids the providers no longer serve, one sanity prompt per model; exit 1 on any failure. */
export async function runCheckCommand(options: { models?: string; json?: boolean }, context: CliContext): Promise<number> {
  const models = modelList(options.models);
  return withHost(context, async (host, signal) => {
    const report = await runModelCheck(host, { models: selectedModels(host, models), signal, onEvent: progressReporter(context.stderr, 'check') });
    if (options.json) writeJson(context.stdout, report);
    else context.stdout.write(checkText(report, { listServed: models === undefined }));
    return report.ok ? EXIT.ok : EXIT.checkFailed;
  });
}

/**
 * The check as text. `listServed` prints every id each provider serves (the unfiltered check);
 * a check of named models says only whether their own ids are served (`--json` keeps the lists).
 */
export function checkText(report: ModelCheckReport, options: { listServed: boolean }): string {
  const lines: string[] = [];
  for (const provider of report.providers) {
    if (!provider.listed) lines.push(`provider ${provider.provider}: no model list (${provider.error})`);
    else if (options.listServed) {
      lines.push(`provider ${provider.provider}: serves ${provider.served} models`);
      for (const id of provider.ids ?? []) lines.push(`  ${id}`);
    } else lines.push(`provider ${provider.provider}: serves ${provider.served} models (check --json lists them)`);
  }
  for (const model of report.models) {
    const served = model.served === null ? 'not listed' : model.served ? 'served' : 'NOT SERVED';
    lines.push(`${model.modelId.padEnd(40)} ${served.padEnd(10)} ${model.sanity === 'ok' ? 'ok' : `FAILED ${model.errorClass}: ${model.error}`}`);
    if (model.served === false) lines.push(`    ${model.provider} does not list ${model.providerModelId}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}
