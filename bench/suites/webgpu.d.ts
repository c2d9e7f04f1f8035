// Types for the optional `webgpu` package (Dawn for Node), installed only to run bench/suites/gpu-node.ts.
declare module 'webgpu' {
  export function create(flags: string[]): unknown;
  export const globals: Record<string, unknown>;
}
