// The browser benchmarks' page: `vite preview` of dist/ on a port (unless something already serves
// there) and a headless Chromium on it. The server runs in its own process group (npx and the
// server behind it), killed when done.
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';

export async function serve(port: number): Promise<ChildProcess | null> {
  const url = `http://localhost:${port}/`;
  try {
    await fetch(url);
    return null;
  } catch {
    const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 300));
      try {
        if ((await fetch(url)).ok) return server;
      } catch {
        /* not yet */
      }
    }
    if (server.pid) process.kill(-server.pid);
    throw new Error(`${url} did not come up`);
  }
}

/** Runs `use` with a Chromium (WebGPU enabled with `webgpu`) and the page served at `url`; closes both after. */
export async function withServedChromium<T>(
  port: number,
  use: (browser: Browser, url: string) => Promise<T>,
  opts: { webgpu?: boolean } = {},
): Promise<T> {
  const server = await serve(port);
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, ...(opts.webgpu ? ['--enable-unsafe-webgpu', '--enable-features=Vulkan'] : [])],
    });
    try {
      return await use(browser, `http://localhost:${port}/`);
    } finally {
      await browser.close();
    }
  } finally {
    if (server?.pid) process.kill(-server.pid);
  }
}
