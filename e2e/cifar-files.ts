// Synthetic CIFAR-10 binary files for the page's file-drop tests.

/** `n` CIFAR-10 records (1 label byte + 3072 pixel bytes), labels cycling through the classes. */
export function cifarBatch(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n * 3073);
  let s = seed;
  for (let i = 0; i < n; i++) {
    b[i * 3073] = i % 10;
    for (let j = 1; j < 3073; j++) {
      s = (s * 1103515245 + 12345) >>> 0;
      b[i * 3073 + j] = s >>> 24;
    }
  }
  return b;
}
