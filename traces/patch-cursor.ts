// The cursor both replays share (traces/history.ts for the syscall model, traces/protocol/history.ts
// for the protocols): the current state, how many steps were applied to reach it, and every step
// computed so far with its immer patches. A step is computed once by the subclass; going back
// applies its inverse patches, going forward again its patches, so no move re-runs the trace.
import type { Objectish, Patch } from 'immer';
import { applyPatches } from 'immer';

/** What a computed step must carry for the cursor to move over it. */
export interface PatchedStep {
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
}

export abstract class PatchCursor<S extends Objectish, A extends PatchedStep> {
  private readonly applied: A[] = [];
  private current: S;
  private position = 0;

  protected constructor(initial: S) {
    this.current = initial;
  }

  /** How many steps the trace has. */
  abstract get length(): number;

  /** Compute step `number` (1-based) from the state before it; called once per step. */
  protected abstract compute(number: number, before: S): { applied: A; state: S };

  /** The state after `cursor` steps. */
  get state(): S {
    return this.current;
  }

  /** How many steps have been applied to reach the current state: 0 is the initial state. */
  get cursor(): number {
    return this.position;
  }

  /** The step that led to the current state, or null at the initial state. */
  get last(): A | null {
    return this.position === 0 ? null : (this.applied[this.position - 1] ?? null);
  }

  /** Steps computed so far (every step up to the furthest the cursor has been). */
  get computed(): readonly A[] {
    return this.applied;
  }

  /** Apply the next step; false at the end of the trace. */
  next(): boolean {
    if (this.position >= this.length) return false;
    const known = this.applied[this.position];
    if (known !== undefined) {
      this.current = applyPatches(this.current, known.patches as Patch[]);
    } else {
      const computed = this.compute(this.position + 1, this.current);
      this.applied.push(computed.applied);
      this.current = computed.state;
    }
    this.position++;
    return true;
  }

  /** Undo the current step by applying its inverse patches; false at the initial state. */
  back(): boolean {
    const last = this.last;
    if (last === null) return false;
    this.current = applyPatches(this.current, last.inversePatches as Patch[]);
    this.position--;
    return true;
  }

  /** Go to the state after `target` steps (0 = the initial state), forward or back. */
  goto(target: number): void {
    if (!Number.isInteger(target) || target < 0 || target > this.length) {
      throw new RangeError(`step ${target} is outside the trace (0 to ${this.length})`);
    }
    while (this.position < target) this.next();
    while (this.position > target) this.back();
  }

  /** The state before the current step (applies the inverse patches to a copy; the cursor stays). */
  stateBefore(): S {
    const last = this.last;
    return last === null ? this.current : applyPatches(this.current, last.inversePatches as Patch[]);
  }

  /** Every step to the end, computed; the cursor stays. */
  runToEnd(): readonly A[] {
    const at = this.position;
    this.goto(this.length);
    this.goto(at);
    return this.applied;
  }
}
