// Gives Node a WebGPU implementation (Dawn, from the optional `webgpu` npm package) before the
// tfjs WebGPU backend is imported: it registers itself only when navigator.gpu exists.
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
(globalThis as unknown as { navigator: { gpu: unknown } }).navigator = { gpu: create([]) };
