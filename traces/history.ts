// Time-travel replay of a trace: per step applied so far, its event, result, patches and inverse
// patches from the model's step() and the invariants' verdict. The cursor (0 = before the first
// step) and its moves over the patches are traces/patch-cursor.ts.
import type { Patch } from 'immer';
import type { Event, ModelOptions, Result, State } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import type { Invariant, Violation } from '../properties/index.js';
import { checkInvariants, checkStepInvariants, INVARIANTS, MODEL_TOTAL } from '../properties/index.js';
import { PatchCursor } from './patch-cursor.js';
import type { RecordedStep, Trace } from './trace.js';

/** How the result the model gives now compares with the one recorded in the trace. */
export type ResultMatch =
  | { readonly kind: 'same' }
  /** Same errno from another kernel check: the check text changed, the behaviour did not. */
  | { readonly kind: 'same-errno-other-check'; readonly recorded: Result }
  | { readonly kind: 'differs'; readonly recorded: Result }
  /** The trace recorded no result for this step. */
  | { readonly kind: 'not-recorded' };

export interface AppliedStep {
  /** 1-based, as traces number their steps. */
  readonly number: number;
  readonly event: Event;
  readonly recorded: RecordedStep;
  readonly result: Result;
  readonly match: ResultMatch;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  /** The state invariants on the state after the step, then the step invariants on the transition. */
  readonly violations: readonly Violation[];
}

export interface HistoryOptions {
  readonly model?: ModelOptions;
  readonly invariants?: readonly Invariant[];
  /** Stop in the debugger just before the model computes this step (1-based). */
  readonly breakAt?: number;
}

/** Compare ok/value/fds, or errno; a different check with the same errno is reported on its own. */
export function matchResult(result: Result, recorded: Result | null): ResultMatch {
  if (recorded === null) return { kind: 'not-recorded' };
  if (result.ok && recorded.ok) {
    const sameFds = (result.fds ?? []).join() === (recorded.fds ?? []).join();
    return result.value === recorded.value && sameFds ? { kind: 'same' } : { kind: 'differs', recorded };
  }
  if (!result.ok && !recorded.ok && result.errno === recorded.errno) {
    return result.check === recorded.check ? { kind: 'same' } : { kind: 'same-errno-other-check', recorded };
  }
  return { kind: 'differs', recorded };
}

/** A step matches unless its result differs; another check with the same errno still matches. */
export const matches = (applied: AppliedStep): boolean => applied.match.kind !== 'differs';

export class History extends PatchCursor<State, AppliedStep> {
  readonly trace: Trace;
  private readonly options: HistoryOptions;

  constructor(trace: Trace, options: HistoryOptions = {}) {
    super(initialState());
    this.trace = trace;
    this.options = options;
  }

  get length(): number {
    return this.trace.steps.length;
  }

  protected compute(number: number, before: State): { applied: AppliedStep; state: State } {
    const recorded = this.trace.steps[number - 1] as RecordedStep;
    const event = recorded.event;
    const invariants = this.options.invariants ?? INVARIANTS;
    let outcome;
    try {
      if (this.options.breakAt === number) {
        // mntns replay --break-at: the debugger stops here, just before the model applies `event`.
        // Step into step() below (F11 in VS Code and Chrome DevTools, `step` in node inspect) to
        // follow the syscall through its checks and its apply part; `event` and `before` are in scope.
        debugger;
      }
      outcome = step(before, event, this.options.model);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const result: Result = { ok: false, errno: 'EINVAL', check: 'model threw' };
      const violations = [{ invariant: MODEL_TOTAL, objects: [], message: `the model threw: ${message}` }];
      const applied = { number, event, recorded, result, match: matchResult(result, recorded.result), patches: [], inversePatches: [], violations };
      return { applied, state: before };
    }
    const violations = checkInvariants(outcome.state, invariants);
    if (outcome.state !== before) violations.push(...checkStepInvariants(before, outcome.state, event, invariants));
    const applied: AppliedStep = {
      number,
      event,
      recorded,
      result: outcome.result,
      match: matchResult(outcome.result, recorded.result),
      patches: outcome.patches,
      inversePatches: outcome.inversePatches,
      violations,
    };
    return { applied, state: outcome.state };
  }
}
