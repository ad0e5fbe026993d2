import { describe, expect, it } from 'vitest';
import type { ModelCheckReport } from '../../services/model-check';
import { checkText } from './check';

const report: ModelCheckReport = {
  ok: false,
  runId: 'check-1',
  providers: [
    {
      provider: 'sim-together',
      listed: true,
      served: 3,
      ids: ['Qwen/QwQ-32B', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'zai-org/GLM-4.6'],
      error: null,
    },
    { provider: 'local', listed: false, served: null, ids: null, error: 'GET /models answered HTTP 404' },
  ],
  models: [
    {
      modelId: 'together/nemotron-70b',
      provider: 'sim-together',
      providerModelId: 'nvidia/Llama-3.1-Nemotron-70B-Instruct-HF',
      served: false,
      sanity: 'failed',
      errorClass: 'not_found',
      error: 'HTTP 404',
      latencyMs: 1,
    },
    {
      modelId: 'together/llama-3.3-70b',
      provider: 'sim-together',
      providerModelId: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      served: true,
      sanity: 'ok',
      errorClass: null,
      error: null,
      latencyMs: 1,
    },
    { modelId: 'local/qwen', provider: 'local', providerModelId: 'qwen', served: null, sanity: 'ok', errorClass: null, error: null, latencyMs: 1 },
  ],
};

const modelLines =
  'together/nemotron-70b                    NOT SERVED FAILED not_found: HTTP 404\n' +
  '    sim-together does not list nvidia/Llama-3.1-Nemotron-70B-Instruct-HF\n' +
  'together/llama-3.3-70b                   served     ok\n' +
  'local/qwen                               not listed ok\n';

describe('checkText', () => {
  it("lists every id a provider serves in the unfiltered check, and names each unserved model's own id", () => {
    expect(checkText(report, { listServed: true })).toBe(
      'provider sim-together: serves 3 models\n' +
        '  Qwen/QwQ-32B\n  meta-llama/Llama-3.3-70B-Instruct-Turbo\n  zai-org/GLM-4.6\n' +
        'provider local: no model list (GET /models answered HTTP 404)\n' +
        modelLines,
    );
  });

  it('says only whether the asked models are served when --models names them', () => {
    expect(checkText(report, { listServed: false })).toBe(
      'provider sim-together: serves 3 models (check --json lists them)\n' +
        'provider local: no model list (GET /models answered HTTP 404)\n' +
        modelLines,
    );
  });
});
