import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (never a downloaded browser) against `vite preview`
// of the built app. WebGPU projects add --enable-unsafe-webgpu (SwiftShader here).
/** Chromium's flags for the tests and the browser benchmarks (bench/suites/serve.ts). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const executablePath = CHROMIUM_PATH;
// The tests' server port (4173 in CI); PXLAB_PORT lets two checkouts test side by side.
const port = Number(process.env.PXLAB_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'chromium', testIgnore: '**/*.webgpu.spec.ts' },
    {
      name: 'chromium-webgpu',
      testMatch: '**/*.webgpu.spec.ts',
      use: { launchOptions: { executablePath, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu', '--enable-features=Vulkan'] } },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
