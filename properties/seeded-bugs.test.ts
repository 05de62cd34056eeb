// Every seeded bug is found by the default budget of `mntns check` (or, for the few the registry
// marks as out of its reach, by its directed historical trace), and by the invariant the registry
// says must catch it; the unbroken model passes the same budget.
import { describe, expect, it } from 'vitest';
import { SEEDED_BUG_IDS } from '../model/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, DEFAULT_SEED, runCheck } from './check.js';
import { INVARIANT_NAMES } from './invariants/index.js';
import { runEvents } from './run.js';
import { SEEDED_BUGS } from './seeded-bugs.js';

const defaults = { seed: DEFAULT_SEED, runs: DEFAULT_RUNS, timeLimitMs: null, maxCommands: DEFAULT_MAX_COMMANDS, stats: false };

describe('seeded bugs', () => {
  it('the registry describes every seeded bug of the model once', () => {
    expect(SEEDED_BUGS.map((bug) => bug.id).sort()).toEqual([...SEEDED_BUG_IDS].sort());
  });
  it('every invariant has at least one seeded bug that it must catch', () => {
    const caught = new Set(SEEDED_BUGS.map((bug) => bug.invariant));
    expect(INVARIANT_NAMES.filter((name) => !caught.has(name))).toEqual([]);
  });
  it('the unbroken model passes the default budget', async () => {
    const result = await runCheck({ ...defaults, bug: null });
    expect(result.counterexample).toBeNull();
    expect(result.runsDone).toBe(DEFAULT_RUNS);
  });
  for (const bug of SEEDED_BUGS) {
    const directed = bug.directed;
    if (directed !== undefined) {
      it(`${bug.id} is caught by ${bug.invariant} on its directed trace, which the correct model passes`, () => {
        const broken = runEvents(directed.events, { model: { bug: bug.id } });
        expect(broken.failure?.violations.map((violation) => violation.invariant)).toContain(bug.invariant);
        expect(runEvents(directed.events).failure).toBeNull();
      });
      continue;
    }
    it(`${bug.id} is found by the default budget and caught by ${bug.invariant}`, async () => {
      const result = await runCheck({ ...defaults, bug: bug.id });
      expect(result.counterexample).not.toBeNull();
      const fired = result.counterexample?.violations.map((violation) => violation.invariant) ?? [];
      expect(fired).toContain(bug.invariant);
      // the shrunk trace reproduces on its own: its last step is the one that breaks the invariant
      expect(result.counterexample?.steps.length).toBeGreaterThan(0);
    });
  }
});
