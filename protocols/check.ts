// The check loop of the protocol models: random schedules (fast-check, fixed seed, so the same
// settings explore the same interleavings), every invariant after every step, and the first
// failing schedule shrunk to a minimal interleaving. Results have the shape of the syscall
// suite's CheckResult (properties/check.ts).
import fc from 'fast-check';
import type { Protocol, ProtocolEvent } from './engine.js';
import type { ProtocolViolation } from './invariant.js';
import type { ProtocolTraceStep } from './run.js';
import { runSchedule } from './run.js';

/** The default budget: both protocols together in well under two seconds. */
export const PROTOCOL_DEFAULT_RUNS = 5000;
export const PROTOCOL_DEFAULT_SEED = 20261121;
/** Steps per schedule: every task's program fits several times over. */
export const PROTOCOL_MAX_STEPS = 60;

export interface ProtocolCheckSettings<B extends string, E = ProtocolEvent> {
  readonly seed: number;
  readonly runs: number;
  readonly maxSteps: number;
  readonly bug: B | null;
  /**
   * Each counterexample the moment it is found ('raw'), and again after each shrinking pass
   * ('shrunk'), so that the caller can save it before the run goes on.
   */
  readonly onCounterexample?: (stage: 'raw' | 'shrunk', steps: readonly ProtocolTraceStep<E>[], violations: readonly ProtocolViolation[]) => void;
}

export interface ProtocolCounterexample<E> {
  /** 1-based index of the run that failed first. */
  readonly run: number;
  readonly msToFind: number;
  readonly rawLength: number;
  readonly steps: readonly ProtocolTraceStep<E>[];
  readonly violations: readonly ProtocolViolation[];
  readonly shrinks: number;
}

export interface ProtocolCheckResult<E = ProtocolEvent> {
  readonly protocol: string;
  readonly summary: string;
  readonly seed: number;
  readonly runsPlanned: number;
  readonly runsDone: number;
  readonly events: number;
  readonly maxCommands: number;
  readonly bug: string | null;
  readonly invariants: readonly string[];
  readonly elapsedMs: number;
  readonly stoppedBy: 'runs' | 'violation';
  readonly counterexample: ProtocolCounterexample<E> | null;
  /** The counterexample's steps, printed one a line. */
  readonly printed: readonly string[];
}

/** Schedules: each entry picks the actor that takes its next atomic step. */
export const schedules = (actors: number, maxSteps: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: actors - 1 }), { maxLength: maxSteps, size: 'max' });

/**
 * After fast-check's shrinking, drop every entry, then every pair of entries, then the first k
 * entries of one actor, whose removal keeps the schedule failing, until none can go: removing one
 * step of a task changes what its later steps are, so a shorter interleaving often needs several
 * removed at once (a task that started too early loses its first steps).
 */
export function minimise(schedule: readonly number[], fails: (schedule: readonly number[]) => boolean): number[] {
  let current = [...schedule];
  const attempt = (drop: ReadonlySet<number>): boolean => {
    const candidate = current.filter((_, index) => !drop.has(index));
    if (!fails(candidate)) return false;
    current = candidate;
    return true;
  };
  const candidates = function* (): Generator<Set<number>> {
    for (let first = 0; first < current.length; first++) yield new Set([first]);
    for (let first = 0; first < current.length; first++) {
      for (let second = first + 1; second < current.length; second++) yield new Set([first, second]);
    }
    for (const actor of new Set(current)) {
      const positions = current.flatMap((entry, index) => (entry === actor ? [index] : []));
      for (let count = 3; count <= positions.length; count++) yield new Set(positions.slice(0, count));
    }
  };
  for (let improved = true; improved; ) {
    improved = false;
    for (const drop of candidates()) {
      if (attempt(drop)) {
        improved = true;
        break;
      }
    }
  }
  return current;
}

export function checkProtocol<S, E extends ProtocolEvent, B extends string>(
  protocol: Protocol<S, E, B>,
  settings: ProtocolCheckSettings<B, E>,
): ProtocolCheckResult<E> {
  const started = performance.now();
  const opts = settings.bug === null ? {} : { bug: settings.bug };
  let runsDone = 0;
  let events = 0;
  let found: { run: number; ms: number; length: number } | null = null;
  const property = fc.property(schedules(protocol.actors.length, settings.maxSteps), (schedule) => {
    const outcome = runSchedule(protocol, schedule, opts);
    if (found === null) {
      runsDone++;
      events += outcome.steps.length;
      if (outcome.failure !== null) {
        found = { run: runsDone, ms: performance.now() - started, length: outcome.steps.length };
        settings.onCounterexample?.('raw', outcome.steps, outcome.failure.violations);
      }
    }
    return outcome.failure === null;
  });
  const details = fc.check(property, { seed: settings.seed, numRuns: settings.runs });
  let counterexample: ProtocolCounterexample<E> | null = null;
  const first = found as { run: number; ms: number; length: number } | null;
  if (details.failed && details.counterexample !== null && first !== null) {
    const [shrunk] = details.counterexample;
    const fastCheck = runSchedule(protocol, shrunk, opts);
    if (fastCheck.failure !== null) settings.onCounterexample?.('shrunk', fastCheck.steps, fastCheck.failure.violations);
    const minimal = minimise(shrunk, (schedule) => runSchedule(protocol, schedule, opts).failure !== null);
    const outcome = runSchedule(protocol, minimal, opts);
    if (outcome.failure !== null) {
      settings.onCounterexample?.('shrunk', outcome.steps, outcome.failure.violations);
      counterexample = {
        run: first.run,
        msToFind: first.ms,
        rawLength: first.length,
        steps: outcome.steps,
        violations: outcome.failure.violations,
        shrinks: details.numShrinks,
      };
    }
  }
  return {
    protocol: protocol.name,
    summary: protocol.summary,
    seed: settings.seed,
    runsPlanned: settings.runs,
    runsDone,
    events,
    maxCommands: settings.maxSteps,
    bug: settings.bug,
    invariants: protocol.invariants.map((invariant) => invariant.name),
    elapsedMs: performance.now() - started,
    stoppedBy: counterexample === null ? 'runs' : 'violation',
    counterexample,
    printed: counterexample === null ? [] : counterexample.steps.map((step) => protocol.formatStep(step.event, step.result)),
  };
}
