// Every stored reference count equals the references recomputed from the state graph, and an
// object whose count is zero has been freed. Which references count, and who holds them, is listed
// once in properties/references.ts (the kernel's conventions are written there); this invariant
// compares how many references each object has with its stored count.
import type { State } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { ALL_STATE_PARTS, ref } from '../invariant.js';
import { countReferences, forEachCounted } from '../references.js';

const NAME = 'refcounts-sound';

export function checkRefcounts(state: State): Violation[] {
  const references = countReferences(state);
  const violations: Violation[] = [];
  forEachCounted(state, (kind, what, field, id, stored) => {
    const recomputed = references[kind].get(id) ?? 0;
    if (stored !== recomputed) {
      violations.push({
        invariant: NAME,
        objects: [ref(kind, id)],
        message: `${what} ${id} has ${field} ${stored}, but ${recomputed} ${recomputed === 1 ? 'reference to it exists' : 'references to it exist'}`,
      });
    } else if (stored === 0) {
      violations.push({
        invariant: NAME,
        objects: [ref(kind, id)],
        message: `${what} ${id} has no references left but was not freed`,
      });
    }
  });
  return violations;
}

export const refcountsSound: Invariant = {
  name: NAME,
  guards: 'every get has its put: a count above the real holders leaks, one below frees too early',
  check: checkRefcounts,
  reads: ALL_STATE_PARTS,
};
