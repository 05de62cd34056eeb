// Breadth-first search over interleavings, for the shortest one that breaks an invariant. States
// reached by different schedules are merged when they are equal up to the step clock (stamps are
// only ever compared with each other, and the next stamp is always the newest), so the search is
// over distinct states rather than all schedules.
import type { Protocol, ProtocolEvent, ProtocolOptions } from './engine.js';

export interface Shortest {
  /** Actor indices, as a check schedule. */
  readonly schedule: readonly number[];
  /** Distinct states visited. */
  readonly states: number;
}

const key = (state: unknown): string => JSON.stringify({ ...(state as object), clock: undefined });

/** The shortest failing schedule of at most maxDepth steps, or null (with the states searched). */
export function shortestViolation<S, E extends ProtocolEvent, B extends string>(
  protocol: Protocol<S, E, B>,
  opts: ProtocolOptions<B>,
  maxDepth: number,
): { readonly found: Shortest | null; readonly states: number } {
  const start = protocol.initialState();
  const seen = new Set<string>([key(start)]);
  let frontier: { state: S; schedule: number[] }[] = [{ state: start, schedule: [] }];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: { state: S; schedule: number[] }[] = [];
    for (const { state, schedule } of frontier) {
      for (const [pick, actor] of protocol.actors.entries()) {
        const outcome = protocol.step(state, protocol.nextEvent(state, actor, opts), opts);
        if (outcome.state === state) continue;
        const extended = [...schedule, pick];
        if (protocol.invariants.some((invariant) => invariant.check(outcome.state).length > 0)) {
          return { found: { schedule: extended, states: seen.size }, states: seen.size };
        }
        const id = key(outcome.state);
        if (seen.has(id)) continue;
        seen.add(id);
        next.push({ state: outcome.state, schedule: extended });
      }
    }
    frontier = next;
  }
  return { found: null, states: seen.size };
}
