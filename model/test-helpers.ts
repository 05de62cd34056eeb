// Helpers for the model's tests: run events from the boot state and read the outcome.
import { expect } from 'vitest';
import type { Event, Fd, ModelOptions, Result, State, TaskId } from './index.js';
import { initialState, setFreezing, step } from './index.js';
import { checkInvariants } from '../properties/invariants/index.js';

setFreezing(true); // tests run with frozen state: an accidental mutation throws

export const INIT = 1 as TaskId;
export const task = (pid: number): TaskId => pid as TaskId;
export const fdOf = (n: number): Fd => n as Fd;

/** A running model: apply events one by one, keeping every result. */
export class Run {
  state: State = initialState();
  readonly results: Result[] = [];
  constructor(readonly opts: ModelOptions = {}) {}

  do(event: Event): Result {
    const outcome = step(this.state, event, this.opts);
    this.state = outcome.state;
    this.results.push(outcome.result);
    return outcome.result;
  }

  /** Apply an event that must succeed; returns its value. */
  ok(event: Event): number {
    const result = this.do(event);
    if (!result.ok) throw new Error(`${event.type} failed: ${result.errno} (${result.check})`);
    return result.value;
  }

  /** Apply an event that must fail with `errno`; returns the failing check's name. */
  fails(event: Event, errno: string): string {
    const before = this.state;
    const result = this.do(event);
    expect(result.ok ? 'success' : result.errno).toBe(errno);
    if (result.ok) return '';
    // a failed check changes nothing, except the two failures the kernel reports after a side effect:
    // MNT_EXPIRE's EAGAIN sets the expiry mark, sock_error()'s ECONNRESET clears sk_err
    if (errno !== 'EAGAIN' && errno !== 'ECONNRESET') expect(this.state).toBe(before);
    return result.check;
  }

  /** Every invariant holds now. */
  sound(): void {
    expect(checkInvariants(this.state).map((violation) => violation.message)).toEqual([]);
  }
}
