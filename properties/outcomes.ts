// Semantic coverage, counted: how often each syscall ended in each outcome (success, or an errno
// with the kernel check that gave it). One map increment per event, so counting costs next to
// nothing beside the invariants.
import type { Event, Result } from '../model/index.js';

export interface OutcomeHits {
  readonly syscall: string;
  /** 'success', or the errno name. */
  readonly outcome: string;
  /** The kernel check that failed ('' for success). */
  readonly check: string;
  readonly hits: number;
}

/** Hit counts by syscall, outcome and check, filled as events run. */
export type OutcomeTally = Map<string, number>;

const SEPARATOR = '\u0000';

export const newOutcomeTally = (): OutcomeTally => new Map();

export function countOutcome(tally: OutcomeTally, event: Event, result: Result): void {
  const key = result.ok ? `${event.type}${SEPARATOR}success${SEPARATOR}` : `${event.type}${SEPARATOR}${result.errno}${SEPARATOR}${result.check}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

/** Success before any errno, then errnos and checks in code-point order: the same tally, the same list. */
export function compareOutcomes(a: Omit<OutcomeHits, 'hits'>, b: Omit<OutcomeHits, 'hits'>): number {
  const rank = (hit: Omit<OutcomeHits, 'hits'>): string => (hit.outcome === 'success' ? '' : hit.outcome);
  const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return order(a.syscall, b.syscall) || order(rank(a), rank(b)) || order(a.check, b.check);
}

/** The tally as a sorted list. */
export function outcomeHits(tally: OutcomeTally): OutcomeHits[] {
  return [...tally]
    .map(([key, hits]) => {
      const [syscall = '', outcome = '', check = ''] = key.split(SEPARATOR);
      return { syscall, outcome, check, hits };
    })
    .sort(compareOutcomes);
}

/** Lists of hits summed (the shards of a campaign), sorted. */
export function sumOutcomeHits(lists: readonly (readonly OutcomeHits[])[]): OutcomeHits[] {
  const tally: OutcomeTally = new Map();
  for (const list of lists) {
    for (const hit of list) {
      const key = [hit.syscall, hit.outcome, hit.check].join(SEPARATOR);
      tally.set(key, (tally.get(key) ?? 0) + hit.hits);
    }
  }
  return outcomeHits(tally);
}
