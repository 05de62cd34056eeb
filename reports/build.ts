// Building the result record from what a command ran: a check campaign, an exploration, the
// seeded-bug run of mntns mutants, or a differential campaign against the kernel.
import { availableParallelism, platform, release } from 'node:os';
import type { SeededBugId } from '../model/index.js';
import type { OracleCampaignResult } from '../oracle/index.js';
import type { ExploreResult, Violation } from '../properties/index.js';
import { INVARIANTS } from '../properties/index.js';
import type { CampaignResult, ProtocolCampaignResult } from '../traces/index.js';
import { formatProtocolLine } from '../traces/index.js';
import type { ProtocolMutantOutcome } from '../protocols/index.js';
import { protocolByName } from '../protocols/index.js';
import type { DeterministicPart, InvariantVerdict, OracleSection, ReportCounterexample, RunReport, SeededBugVerdict } from './record.js';
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

/** A protocol model's part of the check record: a verdict per invariant, its counterexample. */
export interface ProtocolReportInput {
  readonly result: ProtocolCampaignResult;
  readonly savedAs: string | null;
}

function protocolParts(runs: readonly ProtocolReportInput[]): { invariants: InvariantVerdict[]; counterexamples: ReportCounterexample[] } {
  const invariants: InvariantVerdict[] = [];
  const counterexamples: ReportCounterexample[] = [];
  for (const { result, savedAs } of runs) {
    const protocol = protocolByName(result.protocol);
    const found = result.counterexample;
    for (const invariant of protocol?.invariants ?? []) {
      const own = found?.violations.filter((violation) => violation.invariant === invariant.name) ?? [];
      invariants.push({ name: invariant.name, guards: invariant.guards, verdict: own.length === 0 ? 'held' : 'violated', violations: own, protocol: result.protocol });
    }
    if (found === null || protocol === undefined) continue;
    counterexamples.push({
      source: result.source?.kind === 'saved' ? `saved ${result.source.name}` : `random run ${found.run}`,
      bug: result.bug,
      steps: [],
      violations: found.violations,
      minimal: true,
      savedAs,
      protocol: result.protocol,
      protocolSteps: found.steps.map((step) => ({ event: step.event, result: step.result, line: formatProtocolLine(protocol, step) })),
    });
  }
  return { invariants, counterexamples };
}

export function checkReport(
  result: CampaignResult,
  settings: { readonly runs: number; readonly shard?: { readonly index: number; readonly count: number } | null },
  savedAs: string | null,
  protocols: readonly ProtocolReportInput[] = [],
): RunReport {
  const fromProtocols = protocolParts(protocols);
  const protocolViolated = fromProtocols.counterexamples.length > 0;
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
    verdict: found !== null || protocolViolated ? 'violated' : held ? 'held' : 'incomplete',
    statement:
      found !== null
        ? `an invariant was violated: ${[...new Set(found.violations.map((violation) => violation.invariant))].join(', ')}, by a trace of ${found.steps.length} events`
        : protocolViolated
          ? `an invariant of a protocol model was violated: ${fromProtocols.counterexamples.map((counterexample) => `${counterexample.protocol ?? ''} ${[...new Set(counterexample.violations.map((violation) => violation.invariant))].join(', ')}, by ${counterexample.protocolSteps?.length ?? 0} steps`).join('; ')}`
          : held
            ? `${over}: every invariant held after every event${protocols.length === 0 ? '' : `, and every invariant of ${protocols.length} protocol models after every step of ${protocols.reduce((sum, run) => sum + run.result.runsDone, 0)} interleavings`}`
            : `stopped early (${result.stoppedBy}) after ${over}: every invariant held so far`,
    settings: {
      seed: result.seed,
      runs: settings.runs,
      maxCommands: result.maxCommands,
      bug: result.bug ?? protocols.find((run) => run.result.bug !== null)?.result.bug ?? null,
      shard: shardName(settings.shard)[0] ?? null,
    },
    figures: {
      runs: result.runsDone,
      runsPlanned: result.runsPlanned,
      events: result.events,
      savedReplayed: result.replayed.length,
      savedStillFailing: result.replayed.filter((saved) => saved.stillFails).length,
      ...(protocols.length === 0
        ? {}
        : {
            protocolRuns: protocols.reduce((sum, run) => sum + run.result.runsDone, 0),
            protocolSteps: protocols.reduce((sum, run) => sum + run.result.events, 0),
            protocolSavedReplayed: protocols.reduce((sum, run) => sum + run.result.replayed.length, 0),
          }),
    },
    invariants: [...invariantVerdicts(found?.violations ?? []), ...fromProtocols.invariants],
    counterexamples: [...counterexamples, ...fromProtocols.counterexamples],
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
  readonly id: SeededBugId | string;
  /** The protocol model of a protocol seeded bug. */
  readonly protocol?: string;
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

/** The mutants-table row of a protocol seeded bug, from its run by runProtocolMutants(). */
export function protocolMutantRow(outcome: ProtocolMutantOutcome): MutantRow {
  return {
    id: outcome.bug.id,
    protocol: outcome.bug.protocol,
    mustFire: outcome.bug.invariant,
    fired: outcome.fired,
    found: outcome.found,
    expectedFired: outcome.expectedFired,
    byDirectedTrace: false,
    runs: outcome.runs,
    ms: outcome.ms,
    shrunkLength: outcome.shrunkLength,
    minimalLength: outcome.bug.minimalSteps,
  };
}

export function mutantsReport(rows: readonly MutantRow[], settings: { readonly seed: number; readonly runs: number }): RunReport {
  const seededBugs: SeededBugVerdict[] = rows.map((row) => ({
    id: row.id,
    ...(row.protocol === undefined ? {} : { protocol: row.protocol }),
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

/** The name a kernel difference goes by in a counterexample's violations. */
export const KERNEL_AGREEMENT = 'agrees-with-kernel';

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/**
 * The record of `mntns oracle --runs N`: held when every step agreed or differed by a deliberate
 * deviation, violated on any unexplained disagreement, incomplete when stopped early without one.
 * Each kind's shrunk trace is a counterexample whose violations are the kernel's differences at
 * its last step, as text. `savedAs` maps a kind to the file its trace was saved to.
 */
export function oracleReport(
  result: OracleCampaignResult,
  settings: { readonly stepTimeoutMs: number },
  savedAs: Readonly<Record<string, string>>,
): RunReport {
  const { tally } = result;
  const counterexamples: ReportCounterexample[] = result.disagreements.map((found) => {
    const last = found.steps[found.steps.length - 1];
    const where = last === undefined ? '' : `step ${last.index} ${last.event.type}: `;
    return {
      source: `random run ${found.run}: ${found.kind} (shrunk from ${found.originalLength} events${found.shrunk ? '' : '; shrinking was stopped'})`,
      bug: null,
      steps: found.steps.map((entry) => ({ event: entry.event, result: entry.modelResult })),
      violations: (last?.differences ?? []).map((difference) => ({ invariant: KERNEL_AGREEMENT, objects: [], message: `${where}${difference}` })),
      minimal: false,
      savedAs: savedAs[found.kind] ?? null,
      disagreement: found.kind,
    };
  });
  const violated = tally.kinds.length > 0;
  const interrupted = result.stoppedBy === 'interrupted';
  const deviated = `${plural(tally.stepsDeviated, 'step')} differed by deliberate deviations`;
  const over = `${plural(result.runsDone, 'run')}, ${plural(tally.events, 'event')} on model and kernel`;
  const prefix = interrupted ? `interrupted after ${result.runsDone} of ${result.runsPlanned} runs, ${plural(tally.events, 'event')} on model and kernel` : over;
  const neverRun = tally.neverRun.length === 0 ? '' : `; never run: ${tally.neverRun.join(', ')}`;
  const statement = violated
    ? `${prefix}: ${plural(tally.runsDisagreeing, 'run')} disagreed in ${plural(tally.kinds.length, 'kind')} no deliberate deviation explains (${tally.kinds.map((kind) => kind.kind).join('; ')}), ${deviated}${neverRun}`
    : `${prefix}: every step ${interrupted ? 'so far ' : ''}agreed${tally.stepsDeviated === 0 ? '' : ` but ${plural(tally.stepsDeviated, 'step')} that differed by deliberate deviations`}${neverRun}`;
  const oracle: OracleSection = {
    syscalls: tally.syscalls.map((syscall) => ({ syscall: syscall.syscall, steps: syscall.steps, outcomes: syscall.outcomes })),
    neverRun: tally.neverRun,
    deviations: tally.deviations,
    disagreements: tally.kinds,
  };
  const deterministic: DeterministicPart = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    command: 'oracle',
    verdict: violated ? 'violated' : interrupted ? 'incomplete' : 'held',
    statement,
    settings: { seed: result.seed, runs: result.runsPlanned, maxCommands: result.maxCommands, stepTimeoutMs: settings.stepTimeoutMs },
    figures: {
      runs: result.runsDone,
      runsPlanned: result.runsPlanned,
      events: tally.events,
      stepsCompared: tally.stepsCompared,
      stepsAgreed: tally.stepsAgreed,
      stepsDeviated: tally.stepsDeviated,
      stepsDiffered: tally.stepsDiffered,
      stepsAfterDisagreement: tally.stepsAfterDisagreement,
      runsDisagreeing: tally.runsDisagreeing,
      runsHarnessStopped: tally.runsHarnessStopped,
      disagreementKinds: tally.kinds.length,
      syscallsRun: tally.syscalls.length - tally.neverRun.length,
      syscallsNeverRun: tally.neverRun.length,
    },
    invariants: [],
    counterexamples,
    seededBugs: [],
    features: null,
    shards: [],
    oracle,
  };
  return {
    deterministic,
    timing: { elapsedMs: result.timing.elapsedMs, msToFirstCounterexample: null, kernelMs: result.timing.kernelMs, modelMs: result.timing.modelMs, shrinkMs: result.timing.shrinkMs },
    host: { ...host(), kernel: release() },
  };
}
