// Building the result record from what a command ran: a check campaign, an exploration, or the
// seeded-bug run of mntns mutants.
import { availableParallelism, platform } from 'node:os';
import type { SeededBugId } from '../model/index.js';
import type { ExploreResult, Violation } from '../properties/index.js';
import { INVARIANTS } from '../properties/index.js';
import type { CampaignResult } from '../traces/index.js';
import type { DeterministicPart, InvariantVerdict, ReportCounterexample, RunReport, SeededBugVerdict } from './record.js';
import { REPORT_FORMAT, REPORT_VERSION } from './record.js';
import { semanticCoverage } from './semantic-coverage.js';

const host = (): RunReport['host'] => ({ node: process.version, platform: platform(), cpus: availableParallelism() });

function invariantVerdicts(violations: readonly Violation[]): InvariantVerdict[] {
  return INVARIANTS.map((invariant) => {
    const own = violations.filter((violation) => violation.invariant === invariant.name);
    return { name: invariant.name, guards: invariant.guards, verdict: own.length === 0 ? 'held' : 'violated', violations: own };
  });
}

function shardName(shard: { readonly index: number; readonly count: number } | null | undefined): string[] {
  return shard === null || shard === undefined ? [] : [`${shard.index}/${shard.count}`];
}

export function checkReport(
  result: CampaignResult,
  settings: { readonly runs: number; readonly shard?: { readonly index: number; readonly count: number } | null },
  savedAs: string | null,
): RunReport {
  const found = result.counterexample;
  const counterexamples: ReportCounterexample[] =
    found === null
      ? []
      : [
          {
            source: found.source.kind === 'saved' ? `saved ${found.source.name}` : `random run ${found.run}`,
            bug: result.bug,
            steps: found.steps,
            violations: found.violations,
            minimal: found.minimal,
            savedAs,
          },
        ];
  const held = found === null && result.stoppedBy === 'runs';
  const over = `${result.runsDone} random interleavings of up to ${result.maxCommands} syscalls (${result.events} events)`;
  const deterministic: DeterministicPart = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    command: 'check',
    verdict: found !== null ? 'violated' : held ? 'held' : 'incomplete',
    statement:
      found !== null
        ? `an invariant was violated: ${[...new Set(found.violations.map((violation) => violation.invariant))].join(', ')}, by a trace of ${found.steps.length} events`
        : held
          ? `${over}: every invariant held after every event`
          : `stopped early (${result.stoppedBy}) after ${over}: every invariant held so far`,
    settings: { seed: result.seed, runs: settings.runs, maxCommands: result.maxCommands, bug: result.bug, shard: shardName(settings.shard)[0] ?? null },
    figures: { runs: result.runsDone, runsPlanned: result.runsPlanned, events: result.events, savedReplayed: result.replayed.length, savedStillFailing: result.replayed.filter((saved) => saved.stillFails).length },
    invariants: invariantVerdicts(found?.violations ?? []),
    counterexamples,
    seededBugs: [],
    features: result.features,
    shards: shardName(settings.shard),
    semanticCoverage: semanticCoverage(result.outcomes),
  };
  return { deterministic, timing: { elapsedMs: result.elapsedMs, msToFirstCounterexample: found?.msToFind ?? null }, host: host() };
}

export function exploreReport(result: ExploreResult, statement: string, steps: ReportCounterexample['steps'], savedAs: string | null): RunReport {
  const found = result.counterexample;
  const deterministic: DeterministicPart = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    command: 'explore',
    verdict: found !== null ? 'violated' : result.stoppedBy === 'complete' || result.stoppedBy === 'exhausted' ? 'held' : 'incomplete',
    statement,
    settings: { depth: result.depth, vocabulary: result.vocabularySize, bug: result.bug, shard: shardName(result.shard)[0] ?? null },
    figures: {
      depthCompleted: result.depthCompleted,
      distinctStates: result.distinctStates,
      transitions: result.transitions,
      collisionProbability: result.collisionProbability,
      ...Object.fromEntries(result.levels.map((level) => [`newStatesAtDepth${level.depth}`, level.newStates])),
    },
    invariants: invariantVerdicts(found?.violations ?? []),
    counterexamples: found === null ? [] : [{ source: 'breadth-first search (a shortest trace)', bug: result.bug, steps, violations: found.violations, minimal: true, savedAs }],
    seededBugs: [],
    features: null,
    shards: shardName(result.shard),
  };
  return { deterministic, timing: { elapsedMs: result.elapsedMs, msToFirstCounterexample: null }, host: host() };
}

export interface MutantRow {
  readonly id: SeededBugId;
  readonly mustFire: string;
  readonly fired: readonly string[];
  readonly found: boolean;
  readonly expectedFired: boolean;
  readonly byDirectedTrace: boolean;
  readonly runs: number;
  readonly ms: number;
  readonly shrunkLength: number | null;
  readonly minimalLength: number;
}

export function mutantsReport(rows: readonly MutantRow[], settings: { readonly seed: number; readonly runs: number }): RunReport {
  const seededBugs: SeededBugVerdict[] = rows.map((row) => ({
    id: row.id,
    mustFire: row.mustFire,
    fired: row.fired,
    found: row.found,
    caughtAsRequired: row.found && row.expectedFired,
    byDirectedTrace: row.byDirectedTrace,
    runs: row.runs,
    shrunkLength: row.shrunkLength,
    minimalLength: row.minimalLength,
  }));
  const missed = seededBugs.filter((bug) => !bug.caughtAsRequired).length;
  const deterministic: DeterministicPart = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    command: 'mutants',
    verdict: missed === 0 ? 'held' : 'violated',
    statement:
      missed === 0
        ? `every one of ${rows.length} seeded bugs was caught by the invariant that must catch it`
        : `${missed} of ${rows.length} seeded bugs were not caught as required`,
    settings: { seed: settings.seed, runs: settings.runs },
    figures: { seededBugs: rows.length, caught: rows.length - missed, byDirectedTrace: rows.filter((row) => row.byDirectedTrace).length },
    invariants: [],
    counterexamples: [],
    seededBugs,
    features: null,
    shards: [],
  };
  return { deterministic, timing: { elapsedMs: rows.reduce((sum, row) => sum + row.ms, 0), msToFirstCounterexample: null }, host: host() };
}
