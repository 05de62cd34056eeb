// Every seeded bug is found by the default budget of `mntns check` (or, for the few the registry
// marks as out of its reach, by its directed historical trace), caught by the invariant the registry
// names, and shrunk to a 1-minimal trace of the registry's minimal length; the unbroken model
// passes the same budget. Saved counterexamples are replayed before the random budget.
import { describe, expect, it } from 'vitest';
import type { Event, TaskId } from '../model/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, DEFAULT_SEED, runEvents, SEEDED_BUGS } from '../properties/index.js';
import { runCampaign } from './campaign.js';
import { isOneMinimal, shrinkEvents } from './shrink.js';

/**
 * fast-check's shrinking of a random counterexample ends 1-minimal, not always at the shortest trace
 * known: with the default seed the longest is pivot-root-skips-reachability's, 5 events against 3.
 */
const SHRINK_SLACK = 2;

const defaults = { seed: DEFAULT_SEED, runs: DEFAULT_RUNS, timeLimitMs: null, maxCommands: DEFAULT_MAX_COMMANDS, stats: false, saved: [] };

describe('the default campaign', () => {
  it('passes on the unbroken model', async () => {
    const result = await runCampaign({ ...defaults, bug: null });
    expect(result.counterexample).toBeNull();
    expect(result.runsDone).toBe(DEFAULT_RUNS);
  });

  for (const bug of SEEDED_BUGS) {
    const directed = bug.directed;
    if (directed !== undefined) {
      it(`${bug.id}: its directed trace breaks ${bug.invariant}, holds on the correct model, and shrinks to ${bug.minimalLength} events`, () => {
        const broken = runEvents(directed.events, { model: { bug: bug.id } });
        expect(broken.failure?.violations.map((violation) => violation.invariant)).toContain(bug.invariant);
        expect(runEvents(directed.events).failure).toBeNull();
        const shrunk = shrinkEvents(directed.events, { model: { bug: bug.id }, invariant: bug.invariant });
        expect(shrunk.events).toHaveLength(bug.minimalLength);
        expect(shrunk.minimal).toBe(true);
      });
      continue;
    }
    it(`${bug.id} is found, caught by ${bug.invariant} and shrunk to at most ${bug.minimalLength} + ${SHRINK_SLACK} events, 1-minimal`, async () => {
      const result = await runCampaign({ ...defaults, bug: bug.id });
      const found = result.counterexample;
      expect(found).not.toBeNull();
      expect(found?.violations.map((violation) => violation.invariant)).toContain(bug.invariant);
      expect(found?.steps.length ?? Infinity).toBeLessThanOrEqual(bug.minimalLength + SHRINK_SLACK);
      expect(found?.minimal).toBe(true);
      expect(found?.source).toEqual({ kind: 'random' });
      const invariant = found?.violations[0]?.invariant ?? '';
      expect(isOneMinimal(found?.steps.map((recorded) => recorded.event) ?? [], { model: { bug: bug.id }, invariant })).toBe(true);
    });
  }
});

const INIT = 1 as TaskId;
const loop: Event[] = [
  { type: 'mkdir', task: INIT, path: '/mnt/x' },
  { type: 'mknod', task: INIT, path: '/mnt/f' },
  { type: 'mount', task: INIT, source: '/proc/self/ns/mnt', target: '/mnt/f', fstype: null, flags: ['MS_BIND'] },
];

describe('saved counterexamples', () => {
  it('are replayed first: one that still fails is the counterexample, shrunk, and no random run is made', async () => {
    const shrunkSteps: number[] = [];
    const result = await runCampaign({
      ...defaults,
      bug: 'mnt-ns-loop-off-by-one',
      saved: [{ name: 'earlier.trace', events: loop }],
      onShrunk: (steps) => shrunkSteps.push(steps.length),
    });
    expect(result.runsDone).toBe(0);
    expect(result.replayed).toEqual([{ name: 'earlier.trace', stillFails: true }]);
    expect(result.counterexample?.source).toEqual({ kind: 'saved', name: 'earlier.trace' });
    expect(result.counterexample?.steps.map((recorded) => recorded.event.type)).toEqual(['mknod', 'mount']);
    expect(shrunkSteps.at(-1)).toBe(2);
  });
  it('that no longer fail are reported and the random budget runs', async () => {
    const result = await runCampaign({ ...defaults, runs: 50, bug: null, saved: [{ name: 'fixed.trace', events: loop }] });
    expect(result.replayed).toEqual([{ name: 'fixed.trace', stillFails: false }]);
    expect(result.runsDone).toBe(50);
    expect(result.counterexample).toBeNull();
  });
});
