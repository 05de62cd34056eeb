// Time-travel replay of a trace: the current state, a cursor (0 = before the first step) and, per
// step applied so far, its event, result, patches and inverse patches from the model's step() and
// the invariants' verdict. A step is computed by the model once; going back applies its inverse
// patches, going forward again re-applies its patches, so no move re-runs the trace from the start.
import type { Patch } from 'immer';
import { applyPatches } from 'immer';
import type { Event, ModelOptions, Result, State } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import type { Invariant, Violation } from '../properties/index.js';
import { checkInvariants, checkStepInvariants, INVARIANTS, MODEL_TOTAL } from '../properties/index.js';
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

export class History {
  readonly trace: Trace;
  private readonly options: HistoryOptions;
  private readonly applied: AppliedStep[] = [];
  private current: State = initialState();
  private position = 0;

  constructor(trace: Trace, options: HistoryOptions = {}) {
    this.trace = trace;
    this.options = options;
  }

  /** The state after `cursor` steps. */
  get state(): State {
    return this.current;
  }

  /** How many steps have been applied to reach the current state: 0 is the boot state. */
  get cursor(): number {
    return this.position;
  }

  get length(): number {
    return this.trace.steps.length;
  }

  /** The step that led to the current state, or null at the boot state. */
  get last(): AppliedStep | null {
    return this.position === 0 ? null : (this.applied[this.position - 1] ?? null);
  }

  /** Steps computed so far (every step up to the furthest the cursor has been). */
  get computed(): readonly AppliedStep[] {
    return this.applied;
  }

  /** Apply the next step; false at the end of the trace. */
  next(): boolean {
    if (this.position >= this.length) return false;
    const known = this.applied[this.position];
    if (known !== undefined) {
      this.current = applyPatches(this.current, known.patches as Patch[]);
    } else {
      const computed = this.compute(this.position + 1);
      this.applied.push(computed.applied);
      this.current = computed.state;
    }
    this.position++;
    return true;
  }

  /** Undo the current step by applying its inverse patches; false at the boot state. */
  back(): boolean {
    const last = this.last;
    if (last === null) return false;
    this.current = applyPatches(this.current, last.inversePatches as Patch[]);
    this.position--;
    return true;
  }

  /** Go to the state after `target` steps (0 = boot state), forward or back. */
  goto(target: number): void {
    if (!Number.isInteger(target) || target < 0 || target > this.length) {
      throw new RangeError(`step ${target} is outside the trace (0 to ${this.length})`);
    }
    while (this.position < target) this.next();
    while (this.position > target) this.back();
  }

  /** The state before the current step (applies the inverse patches to a copy; the cursor stays). */
  stateBefore(): State {
    const last = this.last;
    return last === null ? this.current : applyPatches(this.current, last.inversePatches as Patch[]);
  }

  private compute(number: number): { applied: AppliedStep; state: State } {
    const recorded = this.trace.steps[number - 1] as RecordedStep;
    const event = recorded.event;
    const before = this.current;
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
