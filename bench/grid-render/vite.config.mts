import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import renderer from '../../src-renderer/vite.config.mts';

// The real renderer with its bridge swapped for the bench's in-memory one (bench/grid-render.bench.ts).
const syntheticBridge = fileURLToPath(new URL('./synthetic-bridge.ts', import.meta.url));

export default mergeConfig(
  renderer,
  defineConfig({
    build: {
      outDir: fileURLToPath(new URL('../../.tmp/bench-renderer', import.meta.url)),
      sourcemap: false,
    },
    plugins: [
      {
        name: 'bench-bridge',
        enforce: 'pre',
        resolveId: (source) => (source === './connect-bridge' ? syntheticBridge : null),
      },
    ],
  }),
);
