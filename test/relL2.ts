/** ‖a−b‖/‖b‖ in float64 (pure: shared by the Node tests, the bench and the WebGPU fixture page). */
export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Number(a[i]) - Number(b[i]);
    num += d * d;
    den += Number(b[i]) * Number(b[i]);
  }
  return Math.sqrt(num / (den || 1));
}
