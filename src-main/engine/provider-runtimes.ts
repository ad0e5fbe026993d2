import type { Provider } from '../../src-shared/domain';
import type { BreakerOptions } from './limits';
import { ProviderRuntime } from './provider-runtime';

/** The engine's provider runtimes, one per provider id, kept across runs. */
export class ProviderRuntimes {
  private readonly runtimes = new Map<string, ProviderRuntime>();
  private readonly runtimeByObject = new WeakMap<Provider, ProviderRuntime>();

  constructor(private readonly breakerOptions: BreakerOptions) {}

  /**
   * The provider's runtime (limits, breakers, connections), kept across runs while its settings
   * stay the same. Each run reads providers afresh, so the settings are compared once per
   * provider object, then remembered by identity.
   */
  get(provider: Provider): ProviderRuntime {
    const known = this.runtimeByObject.get(provider);
    if (known && this.runtimes.get(provider.id) === known) return known;
    let runtime = this.runtimes.get(provider.id);
    if (!runtime || JSON.stringify(runtime.provider) !== JSON.stringify(provider)) {
      // A replaced runtime's connections close in the background; a failure there changes nothing.
      runtime?.close().catch(() => undefined);
      runtime = new ProviderRuntime(provider, this.breakerOptions);
      this.runtimes.set(provider.id, runtime);
    }
    this.runtimeByObject.set(provider, runtime);
    return runtime;
  }

  async close(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((runtime) => runtime.close()));
    this.runtimes.clear();
  }
}
