import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from './generators.js';
import { countedObjects, countReferences, holdersOf, listReferences } from './references.js';
import { runCommands } from './run.js';

describe('the references each object holds', () => {
  it('lists, for every counted object of generated states, as many holders as its stored count', () => {
    fc.assert(
      fc.property(commands(40), (list) => {
        const { state } = runCommands(list, { invariants: [] });
        const listed = listReferences(state);
        const counted = countReferences(state);
        for (const object of countedObjects(state)) {
          const holders = holdersOf(listed, object.kind, object.id);
          expect(holders).toHaveLength(counted[object.kind].get(object.id) ?? 0);
          expect({ object, holders: holders.length }).toEqual({ object, holders: object.count });
          for (const holder of holders) expect(holder.description).not.toMatch(/undefined|NaN/);
        }
      }),
      { numRuns: 40, seed: 5 },
    );
  });
});
