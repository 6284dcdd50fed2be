/** Throws when a calibration batch holds NaN or ±Infinity (naming `where`). */
export function checkFinite(values: ArrayLike<number>, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new RangeError(`${where}: calibration data holds ${values[i]} at element ${i}`);
  }
}
