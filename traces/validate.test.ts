import { describe, expect, it } from 'vitest';
import { eventProblem } from './validate.js';

describe('eventProblem', () => {
  it('accepts a well-typed event', () => {
    expect(eventProblem({ type: 'mount', task: 1, source: null, target: '/mnt', fstype: 'tmpfs', flags: [] })).toBeNull();
  });
  it.each([
    [{ type: 'frob', task: 1 }, /unknown event "frob"; known events: clone/],
    [{ type: 'close', task: 1, fd: -3 }, /close: "fd" must be a whole number/],
    [{ type: 'close', task: 1, fd: 1e300 }, /close: "fd" must be a whole number/],
    [{ type: 'umount2', task: 1, target: '/', flags: ['MNT_LAZY'] }, /unknown flag "MNT_LAZY"; known: MNT_FORCE/],
    [{ type: 'setns', task: 1, fd: 3, nstype: 'CLONE_NEWPID' }, /unknown nstype/],
    [{ type: 'open', task: 1, path: 7, flags: [] }, /"path" must be a string/],
    ['mount', /must be an object/],
  ])('rejects %j', (event, message) => {
    expect(eventProblem(event)).toMatch(message);
  });
});
