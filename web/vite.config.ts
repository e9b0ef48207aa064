import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev`: the API runs on :3000; Vite serves the app with hot reload and proxies API calls.
const api = process.env.ORCHESTRATOR_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: api, ws: true },
      '/api': { target: api },
    },
  },
  worker: { format: 'es' },
  build: {
    // Only /graphiql loads the Monaco editor (its chunk is large by nature); the first load stays small.
    chunkSizeWarningLimit: 3000,
    rolldownOptions: {
      onLog(level, log, handler) {
        // GraphiQL's "use no memo" directives are React-compiler hints, meaningless to the bundle.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
