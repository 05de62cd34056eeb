// The check loop is deterministic for a seed, honours its budget, and stops when asked.
import { describe, expect, it } from 'vitest';
import { runCheck } from './check.js';

const settings = { seed: 7, runs: 200, timeLimitMs: null, bug: null, maxCommands: 30, stats: true } as const;

describe('runCheck', () => {
  it('gives the same events, results and statistics for the same seed', async () => {
    const first = await runCheck(settings);
    const second = await runCheck(settings);
    expect(second.events).toBe(first.events);
    expect(second.features).toEqual(first.features);
  });
  it('explores different interleavings for a different seed', async () => {
    const first = await runCheck(settings);
    const other = await runCheck({ ...settings, seed: 8 });
    expect(other.events).not.toBe(first.events);
  });
  it('finds the same shrunk counterexample for the same seed', async () => {
    const first = await runCheck({ ...settings, bug: 'setns-keeps-old-root-ref', runs: 2000 });
    const second = await runCheck({ ...settings, bug: 'setns-keeps-old-root-ref', runs: 2000 });
    expect(first.counterexample?.steps).toEqual(second.counterexample?.steps);
    expect(first.counterexample?.run).toBe(second.counterexample?.run);
  });
  it('stops between chunks when asked to, reporting what ran', async () => {
    let asked = 0;
    const result = await runCheck({ ...settings, runs: 10_000, shouldStop: () => ++asked > 2 });
    expect(result.stoppedBy).toBe('interrupted');
    expect(result.runsDone).toBe(100);
  });
  it('hands the raw counterexample over before shrinking it', async () => {
    let rawLength = -1;
    const result = await runCheck({
      ...settings,
      bug: 'socket-release-leaks-inflight',
      runs: 2000,
      onRawCounterexample: (steps) => {
        rawLength = steps.length;
      },
    });
    expect(rawLength).toBe(result.counterexample?.rawLength);
    expect(result.counterexample?.steps.length).toBeLessThanOrEqual(rawLength);
  });
});

describe('shards', () => {
  it('split a campaign into disjoint shares that together run exactly its runs and events', async () => {
    const base = { seed: 5, runs: 230, timeLimitMs: null, bug: null, maxCommands: 20, stats: false };
    const whole = await runCheck(base);
    const shards = await Promise.all([1, 2, 3].map((index) => runCheck({ ...base, shard: { index, count: 3 } })));
    expect(shards.map((shard) => shard.runsPlanned)).toEqual([100, 80, 50]);
    expect(shards.reduce((sum, shard) => sum + shard.runsDone, 0)).toBe(whole.runsDone);
    expect(shards.reduce((sum, shard) => sum + shard.events, 0)).toBe(whole.events);
  });
});
