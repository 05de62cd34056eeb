import { describe, expect, it } from 'vitest';
import type { Event, Result, TaskId } from '../model/index.js';
import { fd } from '../model/index.js';
import { checkReferences, namedFds, stepLines } from './references.js';
import { makeTrace } from './trace.js';

const INIT = 1 as TaskId;
const trace = (steps: readonly (readonly [Event, Result | null])[]) =>
  makeTrace({ steps: steps.map(([event, result]) => ({ event, result, violations: [] })) });
const text = (count: number): string => ['mntns-trace 2', '# a comment', ...Array.from({ length: count }, () => '[pid 1] ...')].join('\n');

describe('checkReferences', () => {
  it('accepts live tasks and open fds', () => {
    const ok = trace([
      [{ type: 'clone', task: INIT, flags: [] }, null],
      [{ type: 'open', task: 2 as TaskId, path: '/', flags: [] }, null],
      [{ type: 'close', task: 2 as TaskId, fd: fd(3) }, null],
    ]);
    expect(() => checkReferences(ok, 't.trace', text(3))).not.toThrow();
  });
  it('names the line of a step whose task was never cloned', () => {
    const bad = trace([[{ type: 'chdir', task: 3 as TaskId, path: '/' }, null]]);
    expect(() => checkReferences(bad, 't.trace', text(1))).toThrow(/^t\.trace:3: task 3 does not exist at this step \(live tasks: 1\); name a live task/);
  });
  it('names the step of a task that exited, where lines cannot be matched', () => {
    const bad = trace([
      [{ type: 'exit', task: INIT }, null],
      [{ type: 'chdir', task: INIT, path: '/' }, null],
    ]);
    expect(() => checkReferences(bad, 't.json', '{}')).toThrow(/^t\.json: step 2: task 1 does not exist at this step \(live tasks: none\)/);
  });
  it('accepts a gone task where the step records ESRCH, and a closed fd where it records a failure', () => {
    const recorded = trace([
      [{ type: 'exit', task: INIT }, { ok: true, value: 0 }],
      [{ type: 'chdir', task: INIT, path: '/' }, { ok: false, errno: 'ESRCH', check: 'find_task_by_vpid: no such task' }],
    ]);
    expect(() => checkReferences(recorded, 't.trace', text(2))).not.toThrow();
    const closed = trace([[{ type: 'close', task: INIT, fd: fd(7) }, { ok: false, errno: 'EBADF', check: 'close_fd' }]]);
    expect(() => checkReferences(closed, 't.trace', text(1))).not.toThrow();
  });
  it('refuses an fd never opened, in any argument', () => {
    const bad = trace([[{ type: 'move_mount', task: INIT, from_dfd: 'AT_FDCWD', from_path: '/', to_dfd: fd(4), to_path: '', flags: [] }, null]]);
    expect(() => checkReferences(bad, 't.trace', text(1))).toThrow(/^t\.trace:3: fd 4 is not open in task 1 at this step \(open: none\)/);
  });
});

describe('namedFds and stepLines', () => {
  it('list the fds an event names and the lines steps stand on', () => {
    expect(namedFds({ type: 'sendmsg', task: INIT, fd: fd(3), fds: [fd(5), fd(6)] })).toEqual([3, 5, 6]);
    expect(namedFds({ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/', flags: [] })).toEqual([]);
    expect(stepLines('mntns-trace 2\n\n[pid 1] exit(0) = 0\n  ! x: y\n[pid 2] exit(0)\n')).toEqual([3, 5]);
  });
});
