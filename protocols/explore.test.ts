// Breadth-first search over every interleaving: the correct mntput protocol holds in every state it
// can reach, and the registry's shortest interleavings are the shortest there are.
import { describe, expect, it } from 'vitest';
import { shortestViolation } from './explore.js';
import { MNTPUT_PROTOCOL } from './mntput/index.js';
import { PROTOCOL_SEEDED_BUGS } from './seeded-bugs.js';
import { shortestForBug } from './suite.js';

describe('exhaustive exploration of the protocols', () => {
  it('the correct mntput protocol breaks no invariant in any reachable state', () => {
    // the programs are finite, so the search ends when no step changes any state
    const { found, states } = shortestViolation(MNTPUT_PROTOCOL, {}, 1000);
    expect(found).toBeNull();
    expect(states).toBeGreaterThan(1000);
  });

  // the cheaper searches; `npm run bench` runs them all
  const searched = ['umount-skips-grace-period', 'umount-waits-before-clear', 'mntput-reads-mnt-ns-outside-rcu', 'lockref-plain-increment'];
  for (const bug of PROTOCOL_SEEDED_BUGS.filter((candidate) => searched.includes(candidate.id))) {
    it(`the shortest interleaving that breaks an invariant under ${bug.id} has ${bug.shortestSteps} steps`, () => {
      const { schedule, failure } = shortestForBug(bug, bug.shortestSteps);
      expect(schedule).toHaveLength(bug.shortestSteps);
      expect(failure).not.toBeNull();
      expect(bug.minimalSteps).toBeGreaterThanOrEqual(bug.shortestSteps);
    });
  }
});
