import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The static console: built to dist/console at the repository root (served locally and from S3). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
