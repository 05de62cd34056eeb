// Time-travel replay of a protocol trace, in the shape of traces/history.ts: each recorded step
// names the task that takes it; the task's program counter says what the step is (so a recorded
// event that differs is reported, and the task's real next step is taken), the protocol's reducer
// computes it once with its immer patches, and every invariant is checked after it. Going back
// applies the inverse patches, going forward again the patches: no move re-runs the trace.
import type { Patch } from 'immer';
import type { AnyProtocol, ProtocolEvent, ProtocolViolation, StepResult } from '../../protocols/index.js';
import { orderedEvent, PROTOCOL_TOTAL } from '../../protocols/index.js';
import { PatchCursor } from '../patch-cursor.js';
import type { ProtocolRecordedStep, ProtocolTrace } from './trace.js';

export type ProtocolMatch =
  | { readonly kind: 'same' }
  | { readonly kind: 'not-recorded' }
  | { readonly kind: 'differs'; readonly recorded: StepResult };

export interface ProtocolAppliedStep {
  readonly number: number;
  /** The event the task's program counter made. */
  readonly event: ProtocolEvent;
  readonly recorded: ProtocolRecordedStep;
  /** False when the trace recorded another event for the task than its program makes. */
  readonly sameEvent: boolean;
  readonly result: StepResult;
  readonly match: ProtocolMatch;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  readonly violations: readonly ProtocolViolation[];
}

const sameJson = (left: unknown, right: unknown): boolean => JSON.stringify(left) === JSON.stringify(right);

export function matchStepResult(result: StepResult, recorded: StepResult | null): ProtocolMatch {
  if (recorded === null) return { kind: 'not-recorded' };
  const same = result.ok && recorded.ok ? result.value === recorded.value : !result.ok && !recorded.ok && result.failure === recorded.failure && result.detail === recorded.detail;
  return same ? { kind: 'same' } : { kind: 'differs', recorded };
}

export class ProtocolHistory extends PatchCursor<object, ProtocolAppliedStep> {
  readonly trace: ProtocolTrace;
  readonly protocol: AnyProtocol;

  constructor(trace: ProtocolTrace, protocol: AnyProtocol) {
    super(protocol.initialState() as object);
    this.trace = trace;
    this.protocol = protocol;
  }

  get length(): number {
    return this.trace.steps.length;
  }

  protected compute(number: number, before: object): { applied: ProtocolAppliedStep; state: object } {
    const recorded = this.trace.steps[number - 1] as ProtocolRecordedStep;
    const opts = this.trace.bug === null ? {} : { bug: this.trace.bug };
    try {
      // protocols/engine.ts: the task's program counter decides its next atomic step
      const event = this.protocol.nextEvent(before, recorded.event.task, opts);
      const outcome = this.protocol.step(before, event, opts);
      const violations = this.protocol.invariants.flatMap((invariant) => invariant.check(outcome.state));
      const applied: ProtocolAppliedStep = {
        number,
        event,
        recorded,
        sameEvent: sameJson(orderedEvent(this.protocol.syntax, event), orderedEvent(this.protocol.syntax, recorded.event)),
        result: outcome.result,
        match: matchStepResult(outcome.result, recorded.result),
        patches: outcome.patches,
        inversePatches: outcome.inversePatches,
        violations,
      };
      return { applied, state: outcome.state as object };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const result: StepResult = { ok: false, failure: 'blocked', detail: 'the model threw' };
      const violations = [{ invariant: PROTOCOL_TOTAL, objects: [], message: `the model threw: ${message}` }];
      const applied = { number, event: recorded.event, recorded, sameEvent: true, result, match: matchStepResult(result, recorded.result), patches: [], inversePatches: [], violations };
      return { applied, state: before };
    }
  }
}

/** A step replays as recorded: the same event, the same result, the same invariants violated. */
export function protocolStepDifferences(applied: ProtocolAppliedStep): string[] {
  const differences: string[] = [];
  if (!applied.sameEvent) differences.push(`event: recorded ${JSON.stringify(applied.recorded.event)}, the task's next step is ${JSON.stringify(applied.event)}`);
  if (applied.match.kind === 'differs') differences.push(`result: recorded ${JSON.stringify(applied.match.recorded)}, now ${JSON.stringify(applied.result)}`);
  if (applied.recorded.result !== null) {
    const names = (violations: readonly ProtocolViolation[]): string => [...new Set(violations.map((violation) => violation.invariant))].sort().join(', ') || 'none';
    if (names(applied.recorded.violations) !== names(applied.violations)) {
      differences.push(`verdict: recorded ${names(applied.recorded.violations)} violated, now ${names(applied.violations)}`);
    }
  }
  return differences;
}

/** Each step whose event, result or verdict differs from its recording, as `step N: ...`. */
export function replayProtocolAgainstRecording(trace: ProtocolTrace, protocol: AnyProtocol): string[] {
  const history = new ProtocolHistory(trace, protocol);
  return history.runToEnd().flatMap((applied) => protocolStepDifferences(applied).map((difference) => `step ${applied.number}: ${difference}`));
}

/** The trace as the protocol replays it now, every step re-recorded, ready to keep. */
export function rerecordProtocol(trace: ProtocolTrace, protocol: AnyProtocol, origin: string | null): ProtocolTrace {
  const history = new ProtocolHistory(trace, protocol);
  const steps = history.runToEnd().map((applied) => ({ event: applied.event, result: applied.result, violations: applied.violations }));
  return { ...trace, origin: origin ?? trace.origin, steps };
}
