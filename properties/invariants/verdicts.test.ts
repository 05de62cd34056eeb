// A reused verdict is only sound if `reads` names every part of the state the check looks at:
// on states from generated runs of the correct model and of every seeded bug (so that the
// branches that report violations run too), each check reads nothing outside its `reads`, and
// checkInvariants() with reused verdicts says what the checks say afresh.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelOptions, State } from '../../model/index.js';
import { initialState, step } from '../../model/index.js';
import '../../model/test-helpers.js';
import { resolveCommand } from '../commands.js';
import { commands } from '../generators.js';
import { SEEDED_BUGS } from '../seeded-bugs.js';
import type { StatePart } from '../invariant.js';
import { checkInvariants, INVARIANTS } from './index.js';

const RUNS = 25;
const SEED = 7;

/** Every state a run passes through, whatever the invariants say. */
function statesOf(options: ModelOptions): State[] {
  const states: State[] = [];
  for (const list of fc.sample(commands(40), { seed: SEED, numRuns: RUNS })) {
    let state = initialState();
    for (const command of list) {
      state = step(state, resolveCommand(state, command), options).state;
      states.push(state);
    }
  }
  return states;
}

const MODELS: readonly ModelOptions[] = [{}, ...SEEDED_BUGS.map((bug) => ({ bug: bug.id }))];

/** The parts of the state a check touches, through a proxy over the state's top level. */
function partsRead(check: (state: State) => unknown, state: State): Set<StatePart> {
  const read = new Set<StatePart>();
  const spy = new Proxy(state, {
    get(target, key, receiver) {
      read.add(key as StatePart);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      read.add(key as StatePart);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      for (const key of Reflect.ownKeys(target)) read.add(key as StatePart);
      return Reflect.ownKeys(target);
    },
  });
  check(spy);
  return read;
}

describe('reused invariant verdicts', () => {
  const states = MODELS.flatMap((options) => statesOf(options));

  it('the generated states break some invariant, so the reporting branches ran', () => {
    expect(states.some((state) => INVARIANTS.some((invariant) => (invariant.check?.(state).length ?? 0) > 0))).toBe(true);
  });

  for (const invariant of INVARIANTS) {
    const check = invariant.check;
    if (check === undefined) continue;
    it(`${invariant.name}: the check reads only the parts of the state its reads name`, () => {
      const declared = new Set(invariant.reads ?? []);
      const read = new Set<StatePart>();
      for (const state of states) for (const part of partsRead(check, state)) read.add(part);
      expect([...read].filter((part) => !declared.has(part))).toEqual([]);
    });
  }

  it('checkInvariants with reused verdicts gives, state after state, what every check gives afresh', () => {
    for (const state of states) {
      const fresh = INVARIANTS.flatMap((invariant) => invariant.check?.(state) ?? []);
      expect(checkInvariants(state)).toEqual(fresh);
    }
  });
});
