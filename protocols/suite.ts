// Both protocol models under one budget, as `mntns check` and `mntns mutants` run them.
import type { ProtocolCheckResult } from './check.js';
import { checkProtocol, PROTOCOL_DEFAULT_RUNS, PROTOCOL_DEFAULT_SEED, PROTOCOL_MAX_STEPS } from './check.js';
import type { MntputBugId } from './mntput/index.js';
import { MNTPUT_PROTOCOL } from './mntput/index.js';
import { shortestViolation } from './explore.js';
import { runSchedule } from './run.js';
import type { ProtocolSeededBug } from './seeded-bugs.js';
import { PROTOCOL_SEEDED_BUGS } from './seeded-bugs.js';
import type { StashBugId } from './stash/index.js';
import { STASH_PROTOCOL } from './stash/index.js';

export interface ProtocolBudget {
  readonly seed: number;
  readonly runs: number;
  readonly maxSteps: number;
}

export const PROTOCOL_DEFAULT_BUDGET: ProtocolBudget = { seed: PROTOCOL_DEFAULT_SEED, runs: PROTOCOL_DEFAULT_RUNS, maxSteps: PROTOCOL_MAX_STEPS };

/** The correct protocols, each under the budget. */
export function runProtocolChecks(budget: ProtocolBudget = PROTOCOL_DEFAULT_BUDGET): ProtocolCheckResult[] {
  return [checkProtocol(STASH_PROTOCOL, { ...budget, bug: null }), checkProtocol(MNTPUT_PROTOCOL, { ...budget, bug: null })];
}

/** One seeded bug under the budget. */
export function runProtocolBug(bug: ProtocolSeededBug, budget: ProtocolBudget = PROTOCOL_DEFAULT_BUDGET): ProtocolCheckResult {
  return bug.protocol === 'nsfs-stash'
    ? checkProtocol(STASH_PROTOCOL, { ...budget, bug: bug.id as StashBugId })
    : checkProtocol(MNTPUT_PROTOCOL, { ...budget, bug: bug.id as MntputBugId });
}

export interface ProtocolMutantOutcome {
  readonly bug: ProtocolSeededBug;
  readonly found: boolean;
  readonly fired: readonly string[];
  readonly expectedFired: boolean;
  readonly runs: number;
  readonly ms: number;
  readonly shrunkLength: number | null;
  /** The shrunk interleaving, one step a line. */
  readonly printed: readonly string[];
}

export function runProtocolMutants(budget: ProtocolBudget = PROTOCOL_DEFAULT_BUDGET): ProtocolMutantOutcome[] {
  return PROTOCOL_SEEDED_BUGS.map((bug) => {
    const result = runProtocolBug(bug, budget);
    const found = result.counterexample;
    const fired = found === null ? [] : [...new Set(found.violations.map((violation) => violation.invariant))];
    return {
      bug,
      found: found !== null,
      fired,
      expectedFired: fired.includes(bug.invariant),
      runs: found?.run ?? result.runsDone,
      ms: found?.msToFind ?? result.elapsedMs,
      shrunkLength: found?.steps.length ?? null,
      printed: result.printed,
    };
  });
}

/** The lines `mntns check` adds to its summary. */
export function protocolSummaryLines(results: readonly ProtocolCheckResult[]): string[] {
  const lines = ['', 'races inside a syscall (step-level protocol models):'];
  for (const result of results) {
    const seconds = (result.elapsedMs / 1000).toFixed(1);
    lines.push(`  ${result.protocol}: ${result.runsDone} interleavings of up to ${result.maxCommands} steps, ${result.events} steps, in ${seconds}s`);
    lines.push(`    invariants: ${result.invariants.join(', ')}`);
    const found = result.counterexample;
    if (found === null) {
      lines.push('    every invariant held');
      continue;
    }
    for (const violation of found.violations) lines.push(`    VIOLATED: ${violation.invariant}: ${violation.message}`);
    lines.push(`    shortest interleaving found (${found.steps.length} steps, shrunk from ${found.rawLength}):`);
    result.printed.forEach((line, index) => lines.push(`    ${String(index + 1).padStart(3)}  ${line}`));
  }
  return lines;
}

export const protocolsHeld = (results: readonly ProtocolCheckResult[]): boolean => results.every((result) => result.counterexample === null);

/** The lines `mntns mutants` adds: each protocol seeded bug, found or not, with its interleaving. */
export function protocolMutantLines(outcomes: readonly ProtocolMutantOutcome[]): string[] {
  const lines = ['', `protocol seeded bugs (races inside a syscall): ${outcomes.length}`];
  for (const outcome of outcomes) {
    const verdict = !outcome.found ? 'NOT FOUND' : outcome.expectedFired ? 'found' : `found (other invariant: ${outcome.fired.join(', ')})`;
    lines.push(`  ${outcome.bug.protocol}/${outcome.bug.id}: ${verdict} by ${outcome.bug.invariant} at run ${outcome.runs}, shrunk to ${outcome.shrunkLength ?? '-'} steps`);
    outcome.printed.forEach((line, index) => lines.push(`    ${String(index + 1).padStart(3)}  ${line}`));
  }
  return lines;
}

/** The deterministic part of the results, for --json: no timings. */
export function protocolRecords(results: readonly ProtocolCheckResult[]) {
  return results.map(({ elapsedMs: _elapsed, counterexample, ...rest }) => ({
    ...rest,
    counterexample: counterexample === null ? null : { ...counterexample, msToFind: undefined },
  }));
}

/** The shortest interleaving breaking an invariant under one seeded bug, by breadth-first search. */
export function shortestForBug(bug: ProtocolSeededBug, maxDepth: number = bug.minimalSteps) {
  if (bug.protocol === 'nsfs-stash') {
    const opts = { bug: bug.id as StashBugId };
    const { found, states } = shortestViolation(STASH_PROTOCOL, opts, maxDepth);
    return { states, schedule: found?.schedule ?? null, failure: found === null ? null : runSchedule(STASH_PROTOCOL, found.schedule, opts).failure };
  }
  const opts = { bug: bug.id as MntputBugId };
  const { found, states } = shortestViolation(MNTPUT_PROTOCOL, opts, maxDepth);
  return { states, schedule: found?.schedule ?? null, failure: found === null ? null : runSchedule(MNTPUT_PROTOCOL, found.schedule, opts).failure };
}
