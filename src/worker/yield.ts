// Let the event loop run (a macrotask turn). On wasm and cpu, tfjs's data() resolves as a
// microtask, so a whole run would otherwise never give a cancel message a chance to arrive.
// Not scheduler.yield(): its continuation runs before other queued tasks, so a cancel would
// still wait. A MessageChannel message queues behind what has already arrived.
let channel: MessageChannel | null = null;
const waiting: Array<() => void> = [];

export function nextTask(): Promise<void> {
  // Node: setImmediate runs after I/O and lets timers in (a MessagePort there drains its own
  // queue first and would starve them)
  const si = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  if (si) return new Promise((r) => si(r));
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // a Node MessagePort would keep the process alive
    (channel.port1 as unknown as { unref?: () => void }).unref?.();
    (channel.port2 as unknown as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
}
