// The protocol check loop: the correct protocols hold under the default budget, every seeded bug is
// found by the invariant the registry names and shrunk to the registry's length, every invariant
// catches some seeded bug, and the same seed gives the same interleavings and output.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProtocol, minimise, PROTOCOL_DEFAULT_RUNS, schedules } from './check.js';
import { MNTPUT_BUG_IDS, MNTPUT_PROTOCOL } from './mntput/index.js';
import { runSchedule } from './run.js';
import type { ProtocolSeededBug } from './seeded-bugs.js';
import { PROTOCOL_SEEDED_BUGS } from './seeded-bugs.js';
import type { ProtocolMutantOutcome } from './suite.js';
import { STASH_BUG_IDS, STASH_PROTOCOL } from './stash/index.js';
import { PROTOCOL_DEFAULT_BUDGET, protocolSummaryLines, runProtocolBug, runProtocolChecks, runProtocolMutants } from './suite.js';

describe('protocol check', () => {
  it('the correct stash and mntput protocols hold under the default budget', () => {
    const results = runProtocolChecks();
    expect(results.map((result) => result.protocol)).toEqual(['nsfs-stash', 'mntput-fast-path']);
    for (const result of results) {
      expect(result.counterexample).toBeNull();
      expect(result.runsDone).toBe(PROTOCOL_DEFAULT_RUNS);
      expect(result.events).toBeGreaterThan(PROTOCOL_DEFAULT_RUNS * 10);
    }
  });

  it('the registry describes every seeded bug of both protocols once', () => {
    expect(PROTOCOL_SEEDED_BUGS.map((bug) => bug.id).sort()).toEqual([...STASH_BUG_IDS, ...MNTPUT_BUG_IDS].sort());
  });

  it('every invariant of both protocols is the one that must catch some seeded bug', () => {
    const caught = new Set(PROTOCOL_SEEDED_BUGS.map((bug) => bug.invariant));
    const all = [...STASH_PROTOCOL.invariants, ...MNTPUT_PROTOCOL.invariants].map((invariant) => invariant.name);
    expect(all.filter((name) => !caught.has(name))).toEqual([]);
  });

  // one run of `mntns mutants`' protocol part serves every seeded-bug test below
  let outcomes: ProtocolMutantOutcome[] | null = null;
  const outcomeOf = (bug: ProtocolSeededBug): ProtocolMutantOutcome | undefined => {
    outcomes ??= runProtocolMutants();
    return outcomes.find((outcome) => outcome.bug.id === bug.id);
  };
  for (const bug of PROTOCOL_SEEDED_BUGS) {
    it(`${bug.protocol} seeded bug ${bug.id} is caught by ${bug.invariant}, shrunk to ${bug.minimalSteps} steps`, () => {
      const outcome = outcomeOf(bug);
      expect(outcome?.found).toBe(true);
      expect(outcome?.fired).toContain(bug.invariant);
      expect(outcome?.expectedFired).toBe(true);
      expect(outcome?.shrunkLength).toBe(bug.minimalSteps);
      expect(outcome?.printed).toHaveLength(bug.minimalSteps);
    });
  }

  it('a shrunk interleaving is minimal: dropping any one step makes it pass', () => {
    const bug = PROTOCOL_SEEDED_BUGS.find((candidate) => candidate.id === 'stash-plain-store');
    if (bug === undefined) throw new Error('registry lost stash-plain-store');
    const found = runProtocolBug(bug).counterexample;
    const schedule = found?.steps.map((step) => STASH_PROTOCOL.actors.indexOf(step.event.task)) ?? [];
    expect(runSchedule(STASH_PROTOCOL, schedule, { bug: 'stash-plain-store' }).failure).not.toBeNull();
    for (let index = 0; index < schedule.length; index++) {
      const shorter = schedule.filter((_, other) => other !== index);
      expect(runSchedule(STASH_PROTOCOL, shorter, { bug: 'stash-plain-store' }).failure).toBeNull();
    }
  });

  it('minimise drops every entry not needed for the failure, pairs included', () => {
    // fails while the schedule holds a 3 somewhere after a 1
    const fails = (schedule: readonly number[]) => schedule.indexOf(1) >= 0 && schedule.lastIndexOf(3) > schedule.indexOf(1);
    expect(minimise([0, 1, 2, 2, 3, 0, 3], fails)).toEqual([1, 3]);
  });

  it('every schedule, however shrunk, is a valid interleaving of the correct protocols', () => {
    fc.assert(
      fc.property(schedules(4, 40), (schedule) => {
        expect(runSchedule(STASH_PROTOCOL, schedule).failure).toBeNull();
        expect(runSchedule(MNTPUT_PROTOCOL, schedule).failure).toBeNull();
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('the same seed gives the same interleavings, results and output', () => {
    const settings = { ...PROTOCOL_DEFAULT_BUDGET, runs: 50, bug: 'lockref-plain-increment' as const };
    const first = checkProtocol(STASH_PROTOCOL, settings);
    const second = checkProtocol(STASH_PROTOCOL, settings);
    expect(second.printed).toEqual(first.printed);
    expect(second.counterexample?.steps).toEqual(first.counterexample?.steps);
    expect(second.events).toBe(first.events);
  });

  it('the check summary names each protocol, its invariants and a violation with its interleaving', () => {
    const held = protocolSummaryLines(runProtocolChecks({ ...PROTOCOL_DEFAULT_BUDGET, runs: 20 })).join('\n');
    expect(held).toMatch(/nsfs-stash: 20 interleavings/);
    expect(held).toMatch(/mntput-fast-path: 20 interleavings/);
    expect(held).toMatch(/invariants: one-live-dentry-per-ns, no-ref-on-dead-dentry/);
    const bug = PROTOCOL_SEEDED_BUGS.find((candidate) => candidate.id === 'umount-skips-grace-period');
    if (bug === undefined) throw new Error('registry lost umount-skips-grace-period');
    const violated = protocolSummaryLines([runProtocolBug(bug)]).join('\n');
    expect(violated).toMatch(/VIOLATED: no-mount-freed-while-held/);
    expect(violated).toMatch(/\[task 1\] umount_tree\(mount 1\)  -> mnt->mnt_ns = NULL/);
  });
});
