// The registry of seeded bugs describes every bug of the model, and every invariant has one to catch.
import { describe, expect, it } from 'vitest';
import { SEEDED_BUG_IDS } from '../model/index.js';
import { INVARIANT_NAMES } from './invariants/index.js';
import { SEEDED_BUGS } from './seeded-bugs.js';

describe('seeded bugs', () => {
  it('the registry describes every seeded bug of the model once', () => {
    expect(SEEDED_BUGS.map((bug) => bug.id).sort()).toEqual([...SEEDED_BUG_IDS].sort());
  });
  it('every invariant has at least one seeded bug that it must catch', () => {
    const caught = new Set(SEEDED_BUGS.map((bug) => bug.invariant));
    expect(INVARIANT_NAMES.filter((name) => !caught.has(name))).toEqual([]);
  });
  it('every minimal length is a whole number of events, directed ones no longer than their trace', () => {
    for (const bug of SEEDED_BUGS) {
      expect(Number.isInteger(bug.minimalLength) && bug.minimalLength >= 1).toBe(true);
      if (bug.directed !== undefined) expect(bug.minimalLength).toBeLessThanOrEqual(bug.directed.events.length);
    }
  });
  // Finding and shrinking every seeded bug with the default budget: traces/campaign.test.ts.
});
