// One page script bundled for headless Chromium (esbuild, ES module, in memory): the dispatch
// counter's page and the WebGPU fixture page are served from this.
export async function bundlePage(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return out.outputFiles[0].text;
}
