// The set of visited fingerprints: open addressing over a flat Uint32Array of 64-bit entries (8
// bytes a state, at most half full), so a few million states fit in tens of megabytes. The entry
// 0:0 marks an empty slot; a fingerprint that hashes to it is stored as 0:1 (one more collision
// chance in 2^64, counted in the estimate below).
export class FingerprintSet {
  private table: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    let slots = 1;
    while (slots < capacity * 2) slots <<= 1;
    this.table = new Uint32Array(slots * 2);
    this.mask = slots - 1;
  }

  /** Adds the fingerprint; returns false when it was already there. */
  add(high: number, low: number): boolean {
    if (high === 0 && low === 0) low = 1;
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    return this.insert(this.table, this.mask, high, low);
  }

  has(high: number, low: number): boolean {
    if (high === 0 && low === 0) low = 1;
    for (let slot = (low ^ Math.imul(high, 0x9e3779b1)) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * 2;
      const h = this.table[at] as number;
      const l = this.table[at + 1] as number;
      if (h === 0 && l === 0) return false;
      if (h === high && l === low) return true;
    }
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.table.byteLength;
  }

  private insert(table: Uint32Array, mask: number, high: number, low: number): boolean {
    for (let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 2;
      const h = table[at] as number;
      const l = table[at + 1] as number;
      if (h === 0 && l === 0) {
        table[at] = high;
        table[at + 1] = low;
        if (table === this.table) this.size++;
        return true;
      }
      if (h === high && l === low) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const table = new Uint32Array(slots * 2);
    const mask = slots - 1;
    for (let at = 0; at < old.length; at += 2) {
      const h = old[at] as number;
      const l = old[at + 1] as number;
      if (h !== 0 || l !== 0) this.insert(table, mask, h, l);
    }
    this.table = table;
    this.mask = mask;
  }
}

/**
 * The probability that two of `states` distinct states share a 64-bit fingerprint, so that one of
 * them was taken for visited and never explored: the birthday bound n(n-1)/2 / 2^64.
 */
export function collisionProbability(states: number): number {
  return (states * (states - 1)) / 2 / 2 ** 64;
}
