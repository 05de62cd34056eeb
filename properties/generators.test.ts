// Generated command lists always resolve to valid traces, before and after shrinking, and the
// default budget reaches the deep states that bugs in this area need.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, DEFAULT_SEED, runCheck } from './check.js';
import { FEATURES } from './features.js';
import { commands } from './generators.js';
import { MODEL_TOTAL, runCommands } from './run.js';

describe('generators', () => {
  it('every generated sequence, and every sequence with one command removed, runs without the model throwing', () => {
    fc.assert(
      fc.property(commands(25), fc.nat(), (sequence, cut) => {
        const shorter = sequence.filter((_command, index) => index !== cut % sequence.length);
        for (const candidate of [sequence, shorter]) {
          const outcome = runCommands(candidate);
          expect(outcome.failure?.violations.map((violation) => violation.invariant) ?? []).not.toContain(MODEL_TOTAL);
          expect(outcome.steps.length).toBe(candidate.length);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
  it('the default budget reaches every deep state at least once', async () => {
    const result = await runCheck({
      seed: DEFAULT_SEED,
      runs: DEFAULT_RUNS,
      timeLimitMs: null,
      bug: null,
      maxCommands: DEFAULT_MAX_COMMANDS,
      stats: true,
    });
    const unreached = Object.keys(FEATURES).filter((feature) => (result.features?.[feature as keyof typeof FEATURES] ?? 0) === 0);
    expect(unreached).toEqual([]);
  });
});
