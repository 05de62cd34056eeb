import { describe, expect, it } from 'vitest';
import { DEFAULT_VOCABULARY } from './vocabulary.js';
import { initialState, step } from '../../model/index.js';
import type { State } from '../../model/index.js';
import { canonicalState, fingerprint } from './fingerprint.js';
import { Hash64 } from './hash64.js';

const hashOf = (feed: (hash: Hash64) => void): string => {
  const hash = new Hash64();
  feed(hash);
  return hash.digest().join(':');
};

describe('Hash64', () => {
  it('keeps token boundaries and kinds apart', () => {
    const streams = [
      hashOf((h) => (h.str('ab'), h.str('c'))),
      hashOf((h) => (h.str('a'), h.str('bc'))),
      hashOf((h) => h.str('abc')),
      hashOf((h) => h.int(0)),
      hashOf((h) => h.int(null)),
      hashOf((h) => h.bool(false)),
      hashOf((h) => h.str('')),
      hashOf(() => undefined),
      hashOf((h) => (h.int(1), h.int(2))),
      hashOf((h) => (h.int(2), h.int(1))),
      hashOf((h) => h.int(2 ** 32 + 1)),
      hashOf((h) => h.int(1)),
    ];
    expect(new Set(streams).size).toBe(streams.length);
  });
  it('gives the same digest for the same stream', () => {
    expect(hashOf((h) => (h.str('x'), h.int(-7)))).toBe(hashOf((h) => (h.str('x'), h.int(-7))));
  });
  it('agrees with the canonical text on every state of the first two levels of the default vocabulary', () => {
    const byText = new Map<string, string>();
    const byPrint = new Map<string, string>();
    const level1: State[] = DEFAULT_VOCABULARY.map((event) => step(initialState(), event).state);
    const states = [initialState(), ...level1, ...level1.flatMap((state) => DEFAULT_VOCABULARY.map((event) => step(state, event).state))];
    for (const state of states) {
      const text = canonicalState(state);
      const print = fingerprint(state).join(':');
      expect(byText.get(text) ?? print).toBe(print);
      expect(byPrint.get(print) ?? text).toBe(text);
      byText.set(text, print);
      byPrint.set(print, text);
    }
    expect(byText.size).toBeGreaterThan(500);
  });
});
