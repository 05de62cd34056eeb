// One unit of exhaustive exploration: take a chunk of frontier states, each given by the path of
// vocabulary indices that reaches it from the boot state, and apply every vocabulary event to
// each. For every transition that changes the state, check every invariant (the state invariants
// once per distinct state this expander has seen, the step invariants on every transition) and
// compute the new state's fingerprint. The same function runs in worker threads and in the main
// thread; its output is plain typed arrays, cheap to pass between threads.
import type { Event, ModelOptions, State } from '../../model/index.js';
import { initialState, step } from '../../model/index.js';
import type { Violation } from '../invariant.js';
import type { Invariant } from '../invariant.js';
import { checkInvariants, checkStepInvariants, INVARIANTS } from '../invariants/index.js';
import { fingerprint } from './fingerprint.js';
import { FingerprintSet } from './visited.js';

export interface ChunkResult {
  /** Per changing transition: the index of its path in the chunk, and the vocabulary index. */
  readonly parents: Uint32Array;
  readonly events: Uint16Array;
  /** The new states' fingerprints, two 32-bit halves per transition. */
  readonly fingerprints: Uint32Array;
  /** All transitions tried, changing or not. */
  readonly transitions: number;
  /** The first violating transition of the chunk, in path then vocabulary order. */
  readonly violation: { readonly parent: number; readonly event: number; readonly violations: readonly Violation[] } | null;
}

export class Expander {
  /**
   * Distinct states this expander found to satisfy every state invariant. Violating states are not
   * kept, so each chunk reports its own first violation whatever ran before it on this thread.
   */
  private readonly checked = new FingerprintSet();
  /** The state of the last path replayed, and the path, to replay only the part that differs. */
  private readonly states: State[] = [initialState()];
  private path: number[] = [];

  private readonly invariants: readonly Invariant[];

  /** `only`: the names of the invariants to check (all of them when null). */
  constructor(
    private readonly vocabulary: readonly Event[],
    private readonly model: ModelOptions,
    only: readonly string[] | null = null,
  ) {
    this.invariants = only === null ? INVARIANTS : INVARIANTS.filter((invariant) => only.includes(invariant.name));
  }

  /** The state a path reaches, replaying only what differs from the previous path. */
  private reach(path: readonly number[]): State {
    let common = 0;
    while (common < path.length && common < this.path.length && path[common] === this.path[common]) common++;
    this.states.length = common + 1;
    for (let index = common; index < path.length; index++) {
      const before = this.states[index] as State;
      this.states.push(step(before, this.vocabulary[path[index] as number] as Event, this.model, false).state);
    }
    this.path = [...path];
    return this.states[path.length] as State;
  }

  /** Expands each path by every vocabulary event (or, with `only`, the events it lists). */
  expand(paths: readonly (readonly number[])[], only: readonly number[] | null = null): ChunkResult {
    const parents: number[] = [];
    const events: number[] = [];
    const fingerprints: number[] = [];
    let transitions = 0;
    let violation: ChunkResult['violation'] = null;
    paths.forEach((path, parent) => {
      const state = this.reach(path);
      this.vocabulary.forEach((event, index) => {
        if (only !== null && !only.includes(index)) return;
        transitions++;
        const outcome = step(state, event, this.model, false);
        if (outcome.state === state) return;
        const [high, low] = fingerprint(outcome.state);
        const violations: Violation[] = this.checked.has(high, low) ? [] : checkInvariants(outcome.state, this.invariants);
        if (violations.length === 0) this.checked.add(high, low);
        violations.push(...checkStepInvariants(state, outcome.state, event, this.invariants));
        if (violations.length > 0 && violation === null) violation = { parent, event: index, violations };
        parents.push(parent);
        events.push(index);
        fingerprints.push(high, low);
      });
    });
    return {
      parents: Uint32Array.from(parents),
      events: Uint16Array.from(events),
      fingerprints: Uint32Array.from(fingerprints),
      transitions,
      violation,
    };
  }
}
