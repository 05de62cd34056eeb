// Running a schedule through a protocol: each entry picks the task that takes its next atomic step;
// what that step is comes from the task's program counter in the current state. Every invariant
// is checked after every step that changed the state; the run stops at the first violation.
import type { Protocol, ProtocolEvent, ProtocolOptions, StepResult } from './engine.js';
import type { ProtocolViolation } from './invariant.js';

export interface ProtocolTraceStep<E> {
  readonly event: E;
  readonly result: StepResult;
}

export interface ProtocolRunOutcome<S, E> {
  readonly steps: readonly ProtocolTraceStep<E>[];
  /** The step (0-based) after which an invariant failed, with what failed. */
  readonly failure: { readonly step: number; readonly violations: readonly ProtocolViolation[] } | null;
  readonly state: S;
}

/** The model threw: a bug in the model itself, reported like an invariant. */
export const PROTOCOL_TOTAL = 'protocol-total';

export function runSchedule<S, E extends ProtocolEvent, B extends string>(
  protocol: Protocol<S, E, B>,
  schedule: readonly number[],
  opts: ProtocolOptions<B> = {},
): ProtocolRunOutcome<S, E> {
  let state = protocol.initialState();
  const steps: ProtocolTraceStep<E>[] = [];
  for (const [index, pick] of schedule.entries()) {
    const actor = protocol.actors[pick % protocol.actors.length] ?? 0;
    let event: E | undefined;
    try {
      event = protocol.nextEvent(state, actor, opts);
      const outcome = protocol.step(state, event, opts);
      steps.push({ event, result: outcome.result });
      if (outcome.state === state) continue;
      state = outcome.state;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { steps, failure: { step: index, violations: [{ invariant: PROTOCOL_TOTAL, objects: [], message: `the model threw: ${message}` }] }, state };
    }
    const violations = protocol.invariants.flatMap((invariant) => invariant.check(state));
    if (violations.length > 0) return { steps, failure: { step: index, violations }, state };
  }
  return { steps, failure: null, state };
}
