// Whole-number command-line flags for the benches (node:util parseArgs gives strings).

/** `value` of flag `--name` as an integer ≥ `min`; a clear error otherwise. */
export function integerFlag(name: string, value: string | undefined, min = 1): number {
  const v = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isSafeInteger(v) || v < min) {
    throw new Error(`--${name} must be a whole number of at least ${min} (got ${value ?? 'nothing'})`);
  }
  return v;
}
