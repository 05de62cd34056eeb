// capset(2) reduced to lowering CAP_SYS_ADMIN and CAP_SYS_CHROOT (security/commoncap.c
// cap_capset): the new set replaces the task's capabilities, a capability not held cannot be
// raised, and the credentials are the task's own (a clone inherits a copy).
import { describe, expect, it } from 'vitest';
import type { Capability, Event, TaskId } from '../index.js';
import { INIT, Run, task } from '../test-helpers.js';

const CHILD = task(2);
const capset = (effective: Capability[], actor: TaskId = INIT): Event => ({ type: 'capset', task: actor, effective });
const capsOf = (run: Run, pid: TaskId) => run.state.tasks[pid]?.caps;

describe('capset(2)', () => {
  it('to the empty set drops both capabilities', () => {
    const run = new Run();
    expect(run.ok(capset([]))).toBe(0);
    expect(capsOf(run, INIT)).toEqual({ sysAdmin: false, sysChroot: false });
    run.sound();
  });
  it('can drop one capability and keep the other', () => {
    const run = new Run();
    run.ok(capset(['CAP_SYS_CHROOT']));
    expect(capsOf(run, INIT)).toEqual({ sysAdmin: false, sysChroot: true });
    run.ok({ type: 'chroot', task: INIT, path: '/tmp' }); // CAP_SYS_CHROOT is still there
    expect(run.fails({ type: 'unshare', task: INIT, flags: ['CLONE_NEWNS'] }, 'EPERM')).toMatch(/CAP_SYS_ADMIN/);
    run.sound();
  });
  it('to the set already held changes nothing', () => {
    const run = new Run();
    run.ok(capset(['CAP_SYS_ADMIN', 'CAP_SYS_CHROOT']));
    expect(capsOf(run, INIT)).toEqual({ sysAdmin: true, sysChroot: true });
    run.sound();
  });
  it('changes only the calling task: a child keeps the capabilities it was cloned with', () => {
    const run = new Run();
    run.ok({ type: 'clone', task: INIT, flags: [] });
    run.ok(capset([], CHILD));
    expect(capsOf(run, CHILD)).toEqual({ sysAdmin: false, sysChroot: false });
    expect(capsOf(run, INIT)).toEqual({ sysAdmin: true, sysChroot: true });
    run.sound();
  });
  it('raising a dropped capability fails EPERM at cap_capset', () => {
    const run = new Run();
    run.ok(capset(['CAP_SYS_CHROOT']));
    expect(run.fails(capset(['CAP_SYS_ADMIN', 'CAP_SYS_CHROOT']), 'EPERM')).toMatch(/cap_capset: raising a capability/);
    run.ok(capset([]));
    expect(run.fails(capset(['CAP_SYS_CHROOT']), 'EPERM')).toMatch(/cap_capset/);
    run.sound();
  });
  it('holds in the task\'s own user namespace: after dropping both, CLONE_NEWUSER gives a full set there and none back in the parent', () => {
    const run = new Run();
    run.ok(capset([]));
    run.ok({ type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER'] });
    expect(capsOf(run, INIT)).toEqual({ sysAdmin: true, sysChroot: true });
    // still no CAP_SYS_ADMIN over the initial user namespace, which owns the mount namespace
    expect(run.fails({ type: 'umount2', task: INIT, target: '/proc', flags: [] }, 'EPERM')).toMatch(/may_mount/);
    run.ok(capset(['CAP_SYS_CHROOT'])); // lowering again, in the new user namespace
    expect(run.fails({ type: 'unshare', task: INIT, flags: ['CLONE_NEWNS'] }, 'EPERM')).toMatch(/CAP_SYS_ADMIN/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(capset([], task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});
