// Playwright end-to-end tests against the release build (dist/), served by a plain static
// server on 127.0.0.1 under a sub-path, in Debian's Chromium (no browser download).
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PORT = Number(process.env.E2E_PORT || 8787);
export const BASE = `http://127.0.0.1:${PORT}/tools/clientscope/`;

export default defineConfig({
  testDir: '.',
  outputDir: resolve(root, 'test-results'),
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: BASE,
    viewport: { width: 1280, height: 860 },
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
    acceptDownloads: true,
    serviceWorkers: 'allow',
  },
  webServer: {
    // E2E_DIST: another build's folder (two people building at once each keep their own).
    command: `node scripts/serve.mjs --dir ${process.env.E2E_DIST || 'dist'} --port ${PORT} --base /tools/clientscope/ --gzip`,
    cwd: root,
    url: BASE,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
