import { defineConfig } from 'vite';

// The staff console: built into dist/console and served by the api at /console (apps/api/src/console-static.ts).
// `npm run console:dev` serves it with hot reload and sends /backoffice to an api on $PAYHUB_API (default :3000).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // React Query marks its hooks "use client" for server-component bundlers; meaningless in a plain SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/backoffice': process.env.PAYHUB_API ?? 'http://127.0.0.1:3000' } },
});
