import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// `npm run build`: out/main (Electron main), out/preload (sandboxed preload, CommonJS, no npm
// packages), out/renderer (the same build `npm run build:renderer` makes for `fleetdeck serve`).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // better-sqlite3 loads its Electron-ABI binding from out/native (scripts/electron-sqlite.mjs).
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/app/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require npm packages: bundle everything it imports (only
      // src-shared/ipc/names.ts, which has no runtime imports).
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/app/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      target: 'es2023',
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
