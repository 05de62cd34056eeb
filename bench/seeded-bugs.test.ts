import { describe, expect, it } from 'vitest';
import { renderJson } from './report.js';
import type { BenchReport } from './report.js';
import { seededBugsLines } from './render-sections.js';
import type { SeedOutcome } from './seeded-bugs.js';
import { derivedSeeds, median, summariseBug, TARGET_FIND_MS } from './seeded-bugs.js';

const BUG = { model: 'syscall', bug: 'move-into-own-subtree', invariant: 'mount-tree-well-formed', command: 'mntns check --mutant move-into-own-subtree --skip-saved' } as const;

const found = (seed: number, msToFirst: number, runs: number): SeedOutcome => ({
  seed,
  outcome: 'found',
  runs,
  msToFirst,
  msToShrunk: msToFirst + 10,
  rawLength: 20,
  shrunkLength: 1,
  fired: ['mount-tree-well-formed'],
});
const missed = (seed: number, outcome: 'not-found' | 'capped' = 'not-found'): SeedOutcome => ({ seed, outcome, runs: 5000, ms: 6000 });

describe('bench seeded-bugs: the median', () => {
  it('of an odd count is the middle value, of an even count the mean of the two middle', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is null for no values, and when it falls on a seed not found (Infinity)', () => {
    expect(median([])).toBeNull();
    expect(median([1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY])).toBeNull();
    expect(median([1, 2, Number.POSITIVE_INFINITY])).toBe(2);
    expect(median([1, 2, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY])).toBeNull();
  });
});

describe('bench seeded-bugs: a bug over its seeds', () => {
  it('takes the medians of time and runs, and the slowest seed to the first counterexample', () => {
    const figure = summariseBug(BUG, [found(1, 300, 4), found(2, 100, 2), found(3, 900, 9)]);
    expect(figure.found).toBe(3);
    expect(figure.medianMsToFirst).toBe(300);
    expect(figure.medianMsToShrunk).toBe(310);
    expect(figure.medianRuns).toBe(4);
    expect(figure.slowest?.seed).toBe(3);
    expect(figure.targetMet).toBe(true);
  });

  it('counts a seed not found as slower than any found, and as the slowest seed', () => {
    const figure = summariseBug(BUG, [found(1, 300, 4), missed(2), found(3, 100, 2)]);
    expect(figure.found).toBe(2);
    expect(figure.medianMsToFirst).toBe(300);
    expect(figure.slowest).toEqual(missed(2));
  });

  it('has no median and misses the target when most seeds find nothing', () => {
    const figure = summariseBug(BUG, [found(1, 10, 1), missed(2), missed(3, 'capped')]);
    expect(figure.medianMsToFirst).toBeNull();
    expect(figure.medianRuns).toBeNull();
    expect(figure.targetMet).toBe(false);
  });

  it('misses the target when the median is over it', () => {
    const figure = summariseBug(BUG, [found(1, TARGET_FIND_MS + 1, 4), found(2, TARGET_FIND_MS + 2, 5)]);
    expect(figure.targetMet).toBe(false);
  });

  it('prints NOT FOUND and CAPPED seeds by name, never as found', () => {
    const bugs = [summariseBug(BUG, [found(1, 10, 1), missed(2), missed(3, 'capped')])];
    const text = seededBugsLines({ benchSeed: 7, seedsPerBug: 3, seeds: [1, 2, 3], syscallRuns: 5000, protocolRuns: 250, capMs: 2000, bugs, elapsedMs: 1 }).join('\n');
    expect(text).toContain('1/3 (1 NOT FOUND, 1 CAPPED)');
    expect(text).toContain('move-into-own-subtree NOT FOUND for seed(s) 2\n');
    expect(text).toContain('move-into-own-subtree CAPPED for seed(s) 3');
    expect(text).toMatch(/syscall\/move-into-own-subtree .* NOT FOUND .* NO$/m);
  });
});

describe('bench seeded-bugs: seeds', () => {
  it('derives the same distinct seeds from the same bench seed, and others from another', () => {
    const seeds = derivedSeeds(20261121, 10);
    expect(new Set(seeds).size).toBe(10);
    expect(derivedSeeds(20261121, 10)).toEqual(seeds);
    expect(derivedSeeds(1, 10)).not.toEqual(seeds);
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= -(2 ** 31) && seed < 2 ** 31).toBe(true);
  });
});

describe('bench JSON', () => {
  it('carries every seed of every bug, with nulls, never Infinity, for medians not reached', () => {
    const bugs = [summariseBug(BUG, [missed(1), missed(2), found(3, 5, 1)])];
    const report: BenchReport = {
      node: 'v20',
      cpu: 'cpu',
      logicalCores: 2,
      seed: 7,
      warmupMs: 1,
      measureMs: 1,
      gcExposed: false,
      workloads: [],
      throughput: [],
      memory: [],
      check: null,
      explore: [],
      seededBugs: { benchSeed: 7, seedsPerBug: 3, seeds: [1, 2, 3], syscallRuns: 5000, protocolRuns: 250, capMs: null, bugs, elapsedMs: 1 },
      replay: [],
      oracle: null,
    };
    const parsed = JSON.parse(renderJson(report)) as { seededBugs: { capMs: null; bugs: { medianMsToFirst: null; targetMet: boolean; seeds: { outcome: string }[] }[] } };
    expect(parsed.seededBugs.capMs).toBeNull();
    expect(parsed.seededBugs.bugs[0]?.medianMsToFirst).toBeNull();
    expect(parsed.seededBugs.bugs[0]?.targetMet).toBe(false);
    expect(parsed.seededBugs.bugs[0]?.seeds.map((seed) => seed.outcome)).toEqual(['not-found', 'not-found', 'found']);
  });
});
