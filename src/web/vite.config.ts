/**
 * Vite build of the trust-map page (src/web/app) into dist/web: relative asset URLs (`base: './'`),
 * so the page and every asset load under the server's `/<token>/` prefix, and everything
 * (cytoscape, uPlot, styles) bundled: the page fetches nothing from the internet.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const APP_ROOT = fileURLToPath(new URL('./app/', import.meta.url));
const DIST_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export default defineConfig({
  root: APP_ROOT,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: DIST_DIR,
    emptyOutDir: true,
    // Cytoscape alone is ~450 kB minified; one local page, so no point splitting it.
    chunkSizeWarningLimit: 2_000,
    sourcemap: false,
  },
});
