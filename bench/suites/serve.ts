// `vite preview` of dist/ on a port for the browser benchmarks, unless something already serves
// there; the caller kills the returned process group (npx and the server behind it) when done.
import { spawn, type ChildProcess } from 'node:child_process';

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
