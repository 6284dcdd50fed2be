/** Writes bits most-significant first into a growing byte buffer. */
export class BitWriter {
  private bytes = new Uint8Array(64);
  private bitLength = 0;

  /** Appends the low `length` bits of `code`, most significant first (length ≤ 31). */
  write(code: number, length: number): void {
    for (let b = length - 1; b >= 0; b--) {
      const byte = this.bitLength >>> 3;
      if (byte >= this.bytes.length) {
        const grown = new Uint8Array(this.bytes.length * 2);
        grown.set(this.bytes);
        this.bytes = grown;
      }
      if ((code >>> b) & 1) this.bytes[byte] |= 0x80 >>> (this.bitLength & 7);
      this.bitLength++;
    }
  }

  /** The bits written, padded with zeros to a whole byte. */
  finish(): Uint8Array {
    return this.bytes.slice(0, Math.ceil(this.bitLength / 8));
  }
}

/** Reads bits most-significant first. */
export class BitReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** The next bit; reading past the end throws. */
  bit(): number {
    const byte = this.position >>> 3;
    if (byte >= this.bytes.length) throw new RangeError(`BitReader: read past the end of ${this.bytes.length} bytes`);
    const b = (this.bytes[byte]! >>> (7 - (this.position & 7))) & 1;
    this.position++;
    return b;
  }
}
