import type { EngineDeps, EngineOptions } from './engine';
import type { PromptCache } from './prompt-cache';
import type { ProviderRuntimes } from './provider-runtimes';
import type { RecordWriter } from './record-writer';
import type { Redactor } from './redact';

/**
 * What an engine's per-model functions share with it: made once per engine, never per call, so
 * the attempt loop reads its deps through one object as it did through the engine itself.
 */
export interface EngineInternals {
  readonly deps: EngineDeps;
  readonly options: EngineOptions;
  readonly redact: Redactor;
  readonly now: () => Date;
  readonly runtimes: ProviderRuntimes;
  readonly prompts: PromptCache;
  readonly records: RecordWriter;
}
