// Memory is owned by the host: it grows the module's memory once, up front, and places every array
// from heapBase() on. The kernel never allocates; it only reads and writes through the pointers it
// is given.

/** First free byte after the kernel's static data. The host aligns its arrays from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Sets n f32 values from ptr on to value. */
export function fill(ptr: usize, n: i32, value: f32): void {
  const splat = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(ptr + (<usize>i << 2), splat);
  for (; i < n; i++) store<f32>(ptr + (<usize>i << 2), value);
}
