import { describe, expect, it } from 'vitest';
import type { Event, State, TaskId } from '../../model/index.js';
import { initialState, step } from '../../model/index.js';
import { SEEDED_BUGS } from '../seeded-bugs.js';
import { DEFAULT_DEPTH, explore } from './explore.js';
import { canonicalState, fingerprint } from './fingerprint.js';
import { DEFAULT_VOCABULARY } from './vocabulary.js';
import { collisionProbability, FingerprintSet } from './visited.js';

const INIT = 1 as TaskId;
const run = (events: readonly Event[]): State => events.reduce((state, event) => step(state, event).state, initialState());
const settings = { vocabulary: DEFAULT_VOCABULARY, workers: 0, shard: null, timeLimitMs: null } as const;

describe('canonicalState', () => {
  it('collapses states that differ only in the ids allocated and freed on the way', () => {
    const mountedAndGone = run([
      { type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] },
      { type: 'umount2', task: INIT, target: '/mnt', flags: [] },
    ]);
    expect(mountedAndGone.next.mount).toBeGreaterThan(initialState().next.mount);
    expect(canonicalState(mountedAndGone)).toBe(canonicalState(initialState()));
    expect(fingerprint(mountedAndGone)).toEqual(fingerprint(initialState()));
  });
  it('tells apart states that differ in what an event can observe', () => {
    const mounted = run([{ type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] }]);
    const onTmp = run([{ type: 'mount', task: INIT, source: 'none', target: '/tmp', fstype: 'tmpfs', flags: [] }]);
    const cloned = run([{ type: 'clone', task: INIT, flags: [] }]);
    const clonedAndExited = run([
      { type: 'clone', task: INIT, flags: [] },
      { type: 'exit', task: 2 as TaskId },
    ]);
    const texts = [initialState(), mounted, onTmp, cloned, clonedAndExited].map(canonicalState);
    expect(new Set(texts).size).toBe(5); // the exited child still moved the next pid on
  });
});

describe('FingerprintSet', () => {
  it('holds each fingerprint once, across growth, including 0:0', () => {
    const set = new FingerprintSet(4);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    for (let index = 1; index <= 5000; index++) expect(set.add(index * 7919, index)).toBe(true);
    for (let index = 1; index <= 5000; index++) expect(set.add(index * 7919, index)).toBe(false);
    expect(set.has(3 * 7919, 3)).toBe(true);
    expect(set.has(3 * 7919, 4)).toBe(false);
    expect(set.size).toBe(5001);
  });
  it('estimates the collision probability by the birthday bound', () => {
    expect(collisionProbability(1)).toBe(0);
    expect(collisionProbability(2 ** 32)).toBeCloseTo(0.5, 2);
  });
});

describe('explore', () => {
  it('explores every sequence up to the depth on the correct model and says so', async () => {
    const result = await explore({ ...settings, depth: 2, bug: null });
    expect(result.stoppedBy).toBe('complete');
    expect(result.depthCompleted).toBe(2);
    expect(result.transitions).toBe(DEFAULT_VOCABULARY.length * (1 + (result.levels[0]?.newStates ?? 0)));
    expect(result.distinctStates).toBe(1 + result.levels.reduce((sum, level) => sum + level.newStates, 0));
    expect(result.counterexample).toBeNull();
  });
  it('gives the same figures however often it runs, and its shards together cover every first event', async () => {
    const whole = await explore({ ...settings, depth: 2, bug: null });
    expect(await explore({ ...settings, depth: 2, bug: null })).toMatchObject({ distinctStates: whole.distinctStates, transitions: whole.transitions });
    const shards = await Promise.all([1, 2, 3].map((index) => explore({ ...settings, depth: 2, bug: null, shard: { index, count: 3 } })));
    expect(shards.reduce((sum, shard) => sum + (shard.levels[0]?.transitions ?? 0), 0)).toBe(DEFAULT_VOCABULARY.length);
    expect(shards.reduce((sum, shard) => sum + (shard.levels[0]?.newStates ?? 0), 0)).toBe(whole.levels[0]?.newStates);
  });
  it('stops at the time limit and says what is complete', async () => {
    const result = await explore({ ...settings, depth: 5, bug: null, timeLimitMs: 1 });
    expect(result.stoppedBy).toBe('time-limit');
    expect(result.depthCompleted).toBeLessThan(5);
  });
  it('returns the shortest counterexample of any invariant: the early-freed mountpoint breaks no-use-after-free in 2 events', async () => {
    const result = await explore({ ...settings, depth: DEFAULT_DEPTH, bug: 'mountpoint-put-frees-early' });
    expect(result.counterexample?.events.map((event) => event.type)).toEqual(['clone', 'umount2']);
    expect(result.counterexample?.violations.map((violation) => violation.invariant)).toContain('no-use-after-free');
  });
  for (const bug of SEEDED_BUGS.filter((candidate) => candidate.minimalLength <= DEFAULT_DEPTH)) {
    it(`finds ${bug.id}: no trace shorter than ${bug.minimalLength} events breaks ${bug.invariant}`, async () => {
      const result = await explore({ ...settings, depth: DEFAULT_DEPTH, bug: bug.id, invariants: [bug.invariant] });
      expect(result.stoppedBy).toBe('violation');
      expect(result.counterexample?.events).toHaveLength(bug.minimalLength);
      expect(result.counterexample?.violations.map((violation) => violation.invariant)).toContain(bug.invariant);
    });
  }
});
