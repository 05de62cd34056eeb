import { describe, expect, it } from 'vitest';
import type { Event, TaskId } from '../model/index.js';
import { compareRecording, describeDifference, recordSteps, sameResult } from './record.js';

const INIT = 1 as TaskId;
const events: Event[] = [
  { type: 'mknod', task: INIT, path: '/mnt/f' },
  { type: 'mount', task: INIT, source: '/proc/self/ns/mnt', target: '/mnt/f', fstype: null, flags: ['MS_BIND'] },
  { type: 'umount2', task: INIT, target: '/nope', flags: [] },
];

describe('recordSteps', () => {
  it('records every result, and the verdict after every step, going on past a violation', () => {
    const steps = recordSteps(events, { bug: 'mnt-ns-loop-off-by-one' });
    expect(steps.map((recorded) => recorded.result?.ok)).toEqual([true, true, false]);
    expect(steps[0]?.violations).toEqual([]);
    expect(steps[1]?.violations.map((violation) => violation.invariant)).toContain('no-mnt-ns-loop');
    // a failed step leaves the state, and so its verdict, as it was
    expect(steps[2]?.violations).toEqual(steps[1]?.violations.filter((violation) => violation.invariant === 'no-mnt-ns-loop'));
  });
  it('the correct model refuses the self-bind, and every invariant holds', () => {
    const steps = recordSteps(events, {});
    expect(steps[1]?.result).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(steps.every((recorded) => recorded.violations.length === 0)).toBe(true);
  });
});

describe('compareRecording', () => {
  it('names the steps whose result or verdict differs, and skips steps recorded without a result', () => {
    const recorded = recordSteps(events, { bug: 'mnt-ns-loop-off-by-one' });
    const replayed = recordSteps(events, {});
    const differences = compareRecording(recorded, replayed);
    expect(differences.map((difference) => [difference.step, difference.kind])).toEqual([
      [2, 'result'],
      [2, 'verdict'],
      [3, 'verdict'],
    ]);
    expect(describeDifference(differences[0] as (typeof differences)[number])).toBe(
      'step 2: recorded = 0, replayed = -1 EINVAL (do_loopback: mnt_ns_loop)',
    );
    expect(describeDifference(differences[1] as (typeof differences)[number])).toBe(
      'step 2: recorded no-mnt-ns-loop violated, replayed every invariant held',
    );
    const unrecorded = recorded.map((step) => ({ ...step, result: null }));
    expect(compareRecording(unrecorded, replayed)).toEqual([]);
  });
  it('tells a changed check apart from the same result', () => {
    expect(sameResult({ ok: false, errno: 'EINVAL', check: 'a' }, { ok: false, errno: 'EINVAL', check: 'b' })).toBe(false);
    expect(sameResult({ ok: true, value: 0, fds: [3, 4] as never }, { ok: true, value: 0, fds: [3, 4] as never })).toBe(true);
    expect(sameResult({ ok: true, value: 0 }, { ok: false, errno: 'EINVAL', check: 'a' })).toBe(false);
  });
});
