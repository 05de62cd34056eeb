// A streaming 64-bit hash of a token stream (fingerprint.ts's TokenSink), as two 32-bit lanes of
// MurmurHash3-style mixing with different constants, each finished with MurmurHash3's fmix32.
// Every token is tagged with its kind, and a string with its length, so that distinct token
// streams feed distinct word streams; the lanes then make a collision a 2^-64 event for the
// birthday bound that explore reports.
import type { TokenSink } from './fingerprint.js';

const TAG_NULL = 0x6e756c6c;
const TAG_INT = 0x696e7433;
const TAG_WIDE = 0x77696465;
const TAG_FALSE = 0x66616c73;
const TAG_TRUE = 0x74727565;
const TAG_STR = 0x73747269;
const TWO_TO_32 = 4_294_967_296;

function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Hash64 implements TokenSink {
  private high = 0x9747b28c;
  private low = 0x5bd1e995;
  private words = 0;

  private word(value: number): void {
    let k = Math.imul(value, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h = this.high ^ k;
    h = (h << 13) | (h >>> 19);
    this.high = (Math.imul(h, 5) + 0xe6546b64) | 0;

    let j = Math.imul(value, 0x239b961b);
    j = (j << 17) | (j >>> 15);
    j = Math.imul(j, 0xab0e9789);
    let g = this.low ^ j;
    g = (g << 15) | (g >>> 17);
    this.low = (Math.imul(g, 5) + 0x0bcaa747) | 0;
    this.words++;
  }

  int(value: number | null): void {
    if (value === null) {
      this.word(TAG_NULL);
    } else if ((value | 0) === value) {
      this.word(TAG_INT);
      this.word(value);
    } else {
      // not an int32 (the state holds none, but the stream must stay unambiguous)
      this.word(TAG_WIDE);
      this.word(value >>> 0);
      this.word(Math.floor(value / TWO_TO_32) | 0);
    }
  }

  bool(value: boolean): void {
    this.word(value ? TAG_TRUE : TAG_FALSE);
  }

  str(value: string): void {
    this.word(TAG_STR);
    this.word(value.length);
    let index = 0;
    for (; index + 1 < value.length; index += 2) this.word(value.charCodeAt(index) | (value.charCodeAt(index + 1) << 16));
    if (index < value.length) this.word(value.charCodeAt(index));
  }

  /** The two halves, high then low, each an unsigned 32-bit number. */
  digest(): [number, number] {
    return [fmix32(this.high ^ this.words), fmix32(this.low ^ Math.imul(this.words, 0x9e3779b9))];
  }
}
