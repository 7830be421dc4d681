import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.TAGLOOM_API ?? 'http://localhost:3000';

/**
 * The console (index.html) and the employee sidebar (sidebar.html) as two entries, so the sidebar
 * loads a small bundle of its own on a phone. `npm run dev` proxies the API to a running server.
 */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { console: `${root}index.html`, sidebar: `${root}sidebar.html` } },
  },
  server: { proxy: { '/api': api, '/cgi-bin': api, '/docs': api } },
});
