// Result records for the HTML report's tests: one built by hand around any events (run through the
// model for their results), and the coverage sections another part of mntns fills in.
import type { Event, SeededBugId, TaskId } from '../../model/index.js';
import type { Violation } from '../../properties/index.js';
import { runEvents } from '../../properties/index.js';
import type { CodeCoverage, SemanticCoverage } from '../coverage.js';
import type { RunReport } from '../record.js';
import { REPORT_FORMAT, REPORT_VERSION } from '../record.js';

export const INIT = 1 as TaskId;

/** A violated check report whose one counterexample is `events`, with the violations given. */
export function reportOf(events: readonly Event[], violations: readonly Violation[], bug: SeededBugId | null = null): RunReport {
  const outcome = runEvents(events, bug === null ? {} : { model: { bug } });
  return {
    deterministic: {
      format: REPORT_FORMAT,
      version: REPORT_VERSION,
      command: 'check',
      verdict: 'violated',
      statement: 'an invariant was violated: a fixture',
      settings: { seed: 1, runs: 1, bug },
      figures: { runs: 1 },
      invariants: [{ name: 'no-leak', guards: 'a fixture', verdict: 'violated', violations }],
      counterexamples: [{ source: 'random run 1', bug, steps: outcome.steps, violations, minimal: true, savedAs: null }],
      seededBugs: [],
      features: null,
      shards: [],
    },
    timing: { elapsedMs: 1234, msToFirstCounterexample: 56 },
    host: { node: 'v20.0.0', platform: 'linux', cpus: 2 },
  };
}

export const SEMANTIC: SemanticCoverage = {
  reached: [
    { syscall: 'mount', outcome: 'success', check: '', hits: 120 },
    { syscall: 'mount', outcome: 'EINVAL', check: 'do_loopback: mnt_ns_loop', hits: 7 },
  ],
  unreached: [{ errno: 'ELOOP', check: 'do_move_mount: mnt_ns_loop' }],
  unreachableByDesign: [{ errno: 'ENOMEM', check: 'alloc_mnt_ns', reason: 'the model never runs out of memory' }],
  totals: { checks: 4, reached: 2, unreachableByDesign: 1 },
};

export const CODE: CodeCoverage = {
  tool: 'c8',
  scope: 'mntns check --seed 1 --runs 1',
  total: { lines: { covered: 900, total: 1000 }, branches: { covered: 45, total: 60 }, functions: { covered: 99, total: 100 } },
  files: [{ file: 'model/syscalls/mount.ts', lines: { covered: 90, total: 100 }, branches: { covered: 9, total: 12 }, functions: { covered: 5, total: 5 } }],
};
