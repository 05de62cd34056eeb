// ptrace_may_access(PTRACE_MODE_READ_FSCREDS) as /proc's links check it: a task may follow the
// root, cwd, fd/<n> and ns/mnt links of itself, of tasks in its own user namespace and of tasks in
// the user namespaces it owns; not of tasks in an ancestor or a sibling user namespace (EACCES, as
// the kernel oracle shows on Linux 6.18).
import { describe, expect, it } from 'vitest';
import type { Event, TaskId } from '../index.js';
import { INIT, Run, clone, open, task } from '../test-helpers.js';
import { pathLookup } from './namei.js';
import { ptraceMayAccess } from './ptrace.js';

const may = (run: Run, caller: TaskId, target: TaskId): boolean => {
  const from = run.state.tasks[caller];
  const to = run.state.tasks[target];
  if (from === undefined || to === undefined) throw new Error('no such task');
  return ptraceMayAccess(run.state, from, to);
};
const follow = (run: Run, caller: TaskId, path: string): string => {
  const from = run.state.tasks[caller];
  if (from === undefined) throw new Error('no such task');
  const found = pathLookup(run.state, from, path, { follow: true }, {});
  return found.ok ? found.kind : `${found.errno} ${found.check}`;
};
const capset = (actor: TaskId): Event => ({ type: 'capset', task: actor, effective: [] });

describe('ptraceMayAccess (kernel/ptrace.c: __ptrace_may_access, cap_ptrace_access_check)', () => {
  it('allows a task itself and the tasks of its own user namespace, whatever capabilities either dropped', () => {
    const run = new Run();
    run.ok(clone());
    expect(may(run, INIT, INIT)).toBe(true);
    expect(may(run, INIT, task(2))).toBe(true);
    run.ok(capset(INIT));
    // not a subset of the caller's set any more, but CAP_SYS_PTRACE (never dropped) still holds
    expect(may(run, INIT, task(2))).toBe(true);
    expect(may(run, task(2), INIT)).toBe(true);
  });
  it('allows a task over the user namespaces it owns, and refuses the reverse and siblings', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWUSER'])); // 2: a child user namespace
    run.ok(clone(['CLONE_NEWUSER'])); // 3: a sibling of 2's
    run.ok(clone(['CLONE_NEWUSER'], task(2))); // 4: below 2's
    expect(may(run, INIT, task(2))).toBe(true);
    expect(may(run, INIT, task(4))).toBe(true);
    expect(may(run, task(2), task(4))).toBe(true);
    expect(may(run, task(2), INIT)).toBe(false);
    expect(may(run, task(4), task(2))).toBe(false);
    expect(may(run, task(2), task(3))).toBe(false);
    expect(may(run, task(3), task(2))).toBe(false);
  });
});

describe('the /proc links check it when they are followed', () => {
  it('root and cwd fail EACCES at proc_fd_access_allowed for a task in an ancestor user namespace (D6)', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWUSER']));
    expect(run.fails({ type: 'chroot', task: task(2), path: '/proc/1/root/mnt' }, 'EACCES')).toMatch(/proc_fd_access_allowed: ptrace_may_access/);
    expect(run.fails({ type: 'chdir', task: task(2), path: '/proc/1/cwd' }, 'EACCES')).toMatch(/proc_fd_access_allowed/);
    expect(follow(run, INIT, '/proc/2/root')).toBe('path');
    run.sound();
  });
  it('ns/mnt fails EACCES at proc_ns_get_link for a task in another user namespace tree (D7)', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWUSER', 'CLONE_NEWNS']));
    run.ok(clone(['CLONE_NEWNS']));
    expect(run.fails(open('/proc/3/ns/mnt', ['O_PATH'], task(2)), 'EACCES')).toMatch(/proc_ns_get_link: ptrace_may_access/);
    expect(run.ok(open('/proc/2/ns/mnt', ['O_PATH'], task(3)))).toBe(3);
    run.sound();
  });
  it('umount2 of ns/mnt fails EACCES when followed, EINVAL (not a mount) with UMOUNT_NOFOLLOW (D8)', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWNS']));
    run.ok(clone(['CLONE_NEWUSER', 'CLONE_NEWNS', 'CLONE_FILES'], task(2)));
    expect(run.fails({ type: 'umount2', task: task(3), target: '/proc/1/ns/mnt', flags: [] }, 'EACCES')).toMatch(/proc_ns_get_link/);
    expect(run.fails({ type: 'umount2', task: task(3), target: '/proc/1/ns/mnt', flags: ['UMOUNT_NOFOLLOW'] }, 'EINVAL')).not.toMatch(/ptrace/);
    run.sound();
  });
  it('fd/<n>: the lookup of a closed fd fails ENOENT first, an open one EACCES at the link; the check comes before ENOTDIR', () => {
    const run = new Run();
    run.ok(clone(['CLONE_NEWUSER']));
    run.ok(open('/mnt', ['O_PATH']));
    expect(follow(run, task(2), '/proc/1/fd/9')).toMatch(/^ENOENT proc_lookupfd/);
    expect(follow(run, task(2), '/proc/1/fd/3')).toMatch(/^EACCES proc_fd_access_allowed/);
    expect(follow(run, task(2), '/proc/1/ns/mnt/')).toMatch(/^EACCES proc_ns_get_link/);
    expect(follow(run, task(2), '/proc/1/ns/mnt/x')).toMatch(/^EACCES proc_ns_get_link/);
    expect(run.fails({ type: 'mkdir', task: task(2), path: '/proc/1/fd/3' }, 'EEXIST')).toMatch(/d_is_positive/); // not followed
    run.sound();
  });
});
