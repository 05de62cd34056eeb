// A protocol campaign as `mntns check` runs it, in the shape of traces/campaign.ts: first the
// protocol's counterexamples saved by earlier runs (the failure database), each replayed by its
// schedule (the task of each step); one that still fails is shrunk to a minimal interleaving and
// reported, and no random run is made; then the random budget. Saving is the caller's: every
// counterexample is handed over the moment it is found and after each shrinking pass.
import type { AnyProtocol, ProtocolBudget, ProtocolCheckResult, ProtocolTraceStep, ProtocolViolation, ProtocolEvent } from '../../protocols/index.js';
import { checkProtocol, minimise, runSchedule } from '../../protocols/index.js';
import type { CounterexampleSource } from '../campaign.js';
import type { ProtocolRecordedStep, ProtocolTrace } from './trace.js';

export interface ProtocolCampaignSettings {
  readonly budget: ProtocolBudget;
  readonly bug: string | null;
  readonly saved: readonly { readonly name: string; readonly trace: ProtocolTrace }[];
  readonly onCounterexample?: (
    stage: 'raw' | 'shrunk',
    steps: readonly ProtocolTraceStep<ProtocolEvent>[],
    violations: readonly ProtocolViolation[],
    source: CounterexampleSource,
  ) => void;
}

export interface ProtocolCampaignResult extends ProtocolCheckResult {
  readonly replayed: readonly { readonly name: string; readonly stillFails: boolean }[];
  /** Where the counterexample came from, where there is one. */
  readonly source: CounterexampleSource | null;
}

/** The recorded steps of a run: every invariant held but after the last, which broke `violations`. */
export function recordedRun(steps: readonly ProtocolTraceStep<ProtocolEvent>[], violations: readonly ProtocolViolation[]): ProtocolRecordedStep[] {
  return steps.map((step, index) => ({ event: step.event, result: step.result, violations: index === steps.length - 1 ? violations : [] }));
}

/** A trace's schedule: the actor index of each step's task. */
export const scheduleOf = (protocol: AnyProtocol, trace: ProtocolTrace): number[] =>
  trace.steps.map((step) => Math.max(0, protocol.actors.indexOf(step.event.task)));

export function runProtocolCampaign(protocol: AnyProtocol, settings: ProtocolCampaignSettings): ProtocolCampaignResult {
  const started = performance.now();
  const opts = settings.bug === null ? {} : { bug: settings.bug };
  const replayed: { name: string; stillFails: boolean }[] = [];
  for (const saved of settings.saved) {
    const schedule = scheduleOf(protocol, saved.trace);
    const outcome = runSchedule(protocol, schedule, opts);
    replayed.push({ name: saved.name, stillFails: outcome.failure !== null });
    if (outcome.failure === null) continue;
    const source: CounterexampleSource = { kind: 'saved', name: saved.name };
    const failing = schedule.slice(0, outcome.failure.step + 1);
    const minimal = minimise(failing, (candidate) => runSchedule(protocol, candidate, opts).failure !== null);
    const shrunk = runSchedule(protocol, minimal, opts);
    const found = shrunk.failure === null ? outcome : shrunk;
    const violations = found.failure?.violations ?? [];
    settings.onCounterexample?.('shrunk', found.steps, violations, source);
    return {
      protocol: protocol.name,
      summary: protocol.summary,
      seed: settings.budget.seed,
      runsPlanned: settings.budget.runs,
      runsDone: 0,
      events: outcome.steps.length,
      maxCommands: settings.budget.maxSteps,
      bug: settings.bug,
      invariants: protocol.invariants.map((invariant) => invariant.name),
      elapsedMs: performance.now() - started,
      stoppedBy: 'violation',
      counterexample: { run: 0, msToFind: performance.now() - started, rawLength: saved.trace.steps.length, steps: found.steps, violations, shrinks: 0 },
      printed: found.steps.map((step) => protocol.formatStep(step.event, step.result)),
      replayed,
      source,
    };
  }
  const random: CounterexampleSource = { kind: 'random' };
  const onCounterexample = settings.onCounterexample;
  const result = checkProtocol(protocol, {
    ...settings.budget,
    bug: settings.bug,
    ...(onCounterexample === undefined ? {} : { onCounterexample: (stage, steps, violations) => onCounterexample(stage, steps, violations, random) }),
  });
  return { ...result, elapsedMs: performance.now() - started, replayed, source: result.counterexample === null ? null : random };
}
