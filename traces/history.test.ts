import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { State } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import { commands, runCommands } from '../properties/index.js';
import { History, matchResult } from './history.js';
import type { Trace } from './trace.js';
import { makeTrace } from './trace.js';

const traceOf = (seed: number, maxCommands = 30): Trace => {
  const [list] = fc.sample(commands(maxCommands), { seed, numRuns: 1 });
  const outcome = runCommands(list ?? []);
  return makeTrace({ steps: outcome.steps.map(({ event, result }) => ({ event, result, violations: [] })) });
};

/** The states a fresh replay from the boot state reaches: index n is the state after n steps. */
const freshStates = (trace: Trace): State[] => {
  const states = [initialState()];
  for (const recorded of trace.steps) states.push(step(states.at(-1) as State, recorded.event).state);
  return states;
};

describe('History', () => {
  it('reaches, by next, back and goto in any order, the states a fresh replay reaches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (seed, jumps) => {
        const trace = traceOf(seed);
        const expected = freshStates(trace);
        const history = new History(trace, { invariants: [] });
        for (const jump of jumps) {
          const target = jump % (trace.steps.length + 1);
          history.goto(target);
          expect(history.cursor).toBe(target);
          expect(history.state).toEqual(expected[target]);
          if (history.back()) expect(history.state).toEqual(expected[target - 1]);
          if (history.next()) expect(history.state).toEqual(expected[history.cursor]);
        }
      }),
      { numRuns: 25, seed: 11 },
    );
  });

  it('computes each step once: going forward again reuses the remembered step', () => {
    const trace = traceOf(3);
    const history = new History(trace);
    history.goto(trace.steps.length);
    const first = history.computed.map((applied) => applied);
    history.goto(0);
    history.goto(trace.steps.length);
    expect(history.computed).toHaveLength(trace.steps.length);
    history.computed.forEach((applied, index) => expect(applied).toBe(first[index]));
  });

  it('next at the end and back at the boot state do nothing', () => {
    const trace = traceOf(5, 3);
    const history = new History(trace);
    expect(history.back()).toBe(false);
    history.goto(trace.steps.length);
    expect(history.next()).toBe(false);
    expect(() => history.goto(trace.steps.length + 1)).toThrow(RangeError);
  });

  it('a step whose result differs from the recording is a mismatch', () => {
    const trace = makeTrace({
      steps: [{ event: { type: 'mkdir', task: 1 as never, path: '/mnt/a' }, result: { ok: false, errno: 'EEXIST', check: 'x' }, violations: [] }],
    });
    const history = new History(trace);
    history.next();
    expect(history.last?.match).toEqual({ kind: 'differs', recorded: { ok: false, errno: 'EEXIST', check: 'x' } });
  });

  it('the same errno from another check is told apart from a different result', () => {
    expect(matchResult({ ok: false, errno: 'EINVAL', check: 'a' }, { ok: false, errno: 'EINVAL', check: 'b' }).kind).toBe('same-errno-other-check');
    expect(matchResult({ ok: false, errno: 'EINVAL', check: 'a' }, { ok: false, errno: 'EPERM', check: 'a' }).kind).toBe('differs');
    expect(matchResult({ ok: true, value: 3, fds: [3, 4] as never }, { ok: true, value: 3, fds: [3, 5] as never }).kind).toBe('differs');
    expect(matchResult({ ok: true, value: 0 }, { ok: true, value: 0 }).kind).toBe('same');
    expect(matchResult({ ok: true, value: 0 }, null).kind).toBe('not-recorded');
  });

  it('records the invariants violated by a seeded bug at the step that breaks them', () => {
    const trace = makeTrace({
      bug: 'mnt-ns-loop-off-by-one',
      steps: [
        { event: { type: 'mknod', task: 1 as never, path: '/tmp/f' }, result: null, violations: [] },
        { event: { type: 'mount', task: 1 as never, source: '/proc/self/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] }, result: null, violations: [] },
      ],
    });
    const broken = new History(trace, { model: { bug: 'mnt-ns-loop-off-by-one' } });
    broken.goto(2);
    expect(broken.computed[0]?.violations).toEqual([]);
    expect(broken.computed[1]?.violations.map((v) => v.invariant)).toContain('no-mnt-ns-loop');
    const sound = new History(trace);
    sound.goto(2);
    expect(sound.computed[1]?.violations).toEqual([]);
  });
});
