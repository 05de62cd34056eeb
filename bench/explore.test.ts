import { describe, expect, it } from 'vitest';
import type { ExploreResult } from '../properties/index.js';
import { exploreFigure, TARGET_STATES_PER_SECOND } from './explore.js';
import { exploreLines } from './render-sections.js';

const RESULT: ExploreResult = {
  depth: 3,
  depthCompleted: 3,
  vocabularySize: 60,
  bug: null,
  shard: null,
  distinctStates: 1001,
  transitions: 5000,
  levels: [
    { depth: 1, expanded: 1, transitions: 60, newStates: 100 },
    { depth: 2, expanded: 100, transitions: 4940, newStates: 900 },
  ],
  stoppedBy: 'complete',
  counterexample: null,
  collisionProbability: 0,
  visitedBytes: 0,
  elapsedMs: 2000,
};

describe('bench explore figures', () => {
  it('count the whole run, and without the start-up the states found after the first chunk', () => {
    const figure = exploreFigure(RESULT, 0, 200);
    expect(figure.statesPerSecond).toBeCloseTo(500.5);
    // 1001 states less the boot state and depth 1's 100, over 2000 - 200 ms.
    expect(figure.statesPerSecondAfterStartup).toBeCloseTo(500);
    expect(figure.command).toBe('mntns explore --workers 0');
  });

  it('hold the one-core target against the runs with no worker thread and with one only', () => {
    expect(exploreFigure(RESULT, 0, 1).targetMet).toBe(false);
    expect(exploreFigure(RESULT, 1, 1).targetStatesPerSecond).toBe(TARGET_STATES_PER_SECOND);
    expect(exploreFigure({ ...RESULT, distinctStates: TARGET_STATES_PER_SECOND * 2 }, 0, 1).targetMet).toBe(true);
    const threads = exploreFigure(RESULT, 2, 1);
    expect(threads.targetStatesPerSecond).toBeNull();
    expect(threads.targetMet).toBeNull();
  });

  it('print each run with its command and met/NO', () => {
    const text = exploreLines([exploreFigure(RESULT, 0, 200), exploreFigure(RESULT, 2, 300)]).join('\n');
    expect(text).toMatch(/mntns explore --workers 0 .* >= 50,000 +NO$/m);
    expect(text).toMatch(/mntns explore --workers 2 .*\d$/m);
  });
});
