// Running a sequence through the reducer, checking every invariant after every event that changed
// the state: the state invariants on the new state, the step invariants on the transition. A
// command list (from the generators) and a concrete event list (from a trace file) run the same way.
import type { Event, ModelOptions, Result, State } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import type { Command } from './commands.js';
import { resolveCommand } from './commands.js';
import type { Feature } from './features.js';
import { eventFeatures, stateFeatures } from './features.js';
import type { Invariant, Violation } from './invariant.js';
import { checkInvariants, checkStepInvariants, INVARIANTS } from './invariants/index.js';
import type { OutcomeTally } from './outcomes.js';
import { countOutcome } from './outcomes.js';

export interface TraceStep {
  readonly event: Event;
  readonly result: Result;
}

export interface RunOutcome {
  readonly steps: readonly TraceStep[];
  /** The first step (0-based) after which an invariant failed, with what failed. */
  readonly failure: { readonly step: number; readonly violations: readonly Violation[] } | null;
  readonly state: State;
  readonly features: ReadonlySet<Feature>;
}

export interface RunSettings {
  readonly model?: ModelOptions;
  readonly invariants?: readonly Invariant[];
  readonly features?: boolean;
  /** Where each event's outcome is counted (semantic coverage), if anywhere. */
  readonly outcomes?: OutcomeTally;
}

/** The model threw: a bug in the model itself, reported like an invariant. */
export const MODEL_TOTAL = 'model-total';

function runWith(
  length: number,
  next: (state: State, index: number) => Event,
  settings: RunSettings,
): RunOutcome {
  let state = initialState();
  const steps: TraceStep[] = [];
  const features = new Set<Feature>();
  const model = settings.model ?? {};
  const invariants = settings.invariants ?? INVARIANTS;
  for (let index = 0; index < length; index++) {
    const event = next(state, index);
    let outcome;
    try {
      outcome = step(state, event, model, false);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      steps.push({ event, result: { ok: false, errno: 'EINVAL', check: 'model threw' } });
      return {
        steps,
        failure: { step: index, violations: [{ invariant: MODEL_TOTAL, objects: [], message: `the model threw: ${message}` }] },
        state,
        features,
      };
    }
    steps.push({ event, result: outcome.result });
    if (settings.outcomes !== undefined) countOutcome(settings.outcomes, event, outcome.result);
    if (settings.features === true) {
      eventFeatures(state, event, outcome.result, outcome.state, features);
      stateFeatures(outcome.state, features);
    }
    // A step that changed nothing (every failed syscall) leaves a state whose verdict is known,
    // and a transition from a state to itself that no step invariant can object to.
    if (outcome.state === state) continue;
    const before = state;
    state = outcome.state;
    const violations = checkInvariants(state, invariants);
    violations.push(...checkStepInvariants(before, state, event, invariants));
    if (violations.length > 0) return { steps, failure: { step: index, violations }, state, features };
  }
  return { steps, failure: null, state, features };
}

export function runCommands(commands: readonly Command[], settings: RunSettings = {}): RunOutcome {
  return runWith(commands.length, (state, index) => resolveCommand(state, commands[index] as Command), settings);
}

export function runEvents(events: readonly Event[], settings: RunSettings = {}): RunOutcome {
  return runWith(events.length, (_state, index) => events[index] as Event, settings);
}
