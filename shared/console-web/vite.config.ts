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
    rollupOptions: {
      // zod's sources carry comments that mention `@__PURE__` in prose; Rollup warns that it drops
      // them. Noise for whoever runs `local up` or the console build, and nothing to act on.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
});
