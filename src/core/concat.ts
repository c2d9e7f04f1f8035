// Joining typed-array parts end to end (tar archives, flat masks read back per layer).

/** The parts one after another in a new array of type `Ctor`. */
export function concatTyped<T extends Uint8Array | Float32Array>(Ctor: new (length: number) => T, parts: readonly ArrayLike<number>[]): T {
  const out = new Ctor(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
