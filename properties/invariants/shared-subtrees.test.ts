// The invariants of shared subtrees, locks and privileges: each holds on sound runs (every state and
// every step of them) and fires on a state or a step broken in the way it guards against, either
// by a seeded bug on a short trace or by a hand-made change (immer `produce`) to a sound state.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { Event, Mount, MountFlag, MountId, State, TaskId } from '../../model/index.js';
import { mntNsId, mountId, peerGroupId, superBlockId } from '../../model/index.js';
import { INIT, Run, at, bind, clone, dropCaps, fdOf, mkdir, mnt, task, tmpfs } from '../../model/test-helpers.js';
import type { Violation } from '../invariant.js';
import { runEvents } from '../run.js';
import { checkLocks, checkLocksStep } from './locks-hold.js';
import { checkPeerGroups } from './peer-groups-consistent.js';
import { checkPrivilegesStep } from './privileges-respected.js';
import { checkPropagationStep } from './propagation-exact.js';
import { checkInvariants, checkStepInvariants } from './index.js';

const CHILD = task(2);
const change = (target: string, flags: MountFlag[], actor: TaskId = INIT): Event =>
  ({ type: 'mount', task: actor, source: null, target, fstype: null, flags });
const lazyUmount = (target: string, actor: TaskId = INIT): Event => ({ type: 'umount2', task: actor, target, flags: ['MNT_DETACH'] });
const chdir = (path: string, actor: TaskId = INIT): Event => ({ type: 'chdir', task: actor, path });
const rmdir = (path: string, actor: TaskId = INIT): Event => ({ type: 'rmdir', task: actor, path });
const openTreeClone = (path: string, actor: TaskId = INIT): Event =>
  ({ type: 'open_tree', task: actor, dfd: 'AT_FDCWD', path, flags: ['OPEN_TREE_CLONE'] });
const remount = (target: string, flags: MountFlag[], actor: TaskId = INIT): Event =>
  ({ type: 'mount', task: actor, source: null, target, fstype: null, flags: ['MS_REMOUNT', 'MS_BIND', ...flags] });

const messages = (violations: readonly Violation[]): string[] => violations.map((violation) => violation.message);

/** Every event succeeds, and every state and every step invariant holds after each. */
function sound(events: readonly Event[]): State {
  const outcome = runEvents(events);
  expect(outcome.failure?.violations.map((violation) => violation.message) ?? []).toEqual([]);
  expect(outcome.steps.filter((step) => !step.result.ok).map((step) => step.event)).toEqual([]);
  return outcome.state;
}

/** Apply one event that must succeed and return the transition. */
function transition(run: Run, event: Event): { before: State; after: State; event: Event } {
  const before = run.state;
  run.ok(event);
  return { before, after: run.state, event };
}

/** Take a mount off its parent's child list (the hand-made half of a detach). */
function unlink(draft: { mounts: Record<number, { mnt_mounts: MountId[] }> }, parent: number, child: number): void {
  const list = draft.mounts[parent]?.mnt_mounts;
  if (list !== undefined) list.splice(list.indexOf(mountId(child)), 1);
}

/**
 * /mnt is a shared tmpfs (mount 5, group 1); /tmp/a (6) is its peer; /tmp/b (7) was a peer and is
 * now its slave (make-slave picks the peer with the same root and the lowest id: 5).
 */
const PEERS_AND_SLAVE: readonly Event[] = [
  tmpfs('/mnt'),
  change('/mnt', ['MS_SHARED']),
  mkdir('/tmp/a'),
  mkdir('/tmp/b'),
  bind('/mnt', '/tmp/a'),
  bind('/mnt', '/tmp/b'),
  change('/tmp/b', ['MS_SLAVE']),
];

describe('peer-groups-consistent', () => {
  it('holds through make-shared, binds of shared mounts, make-slave, shared and slave, a detached peer, unbindable mounts and a lazy umount of a master', () => {
    const state = sound([
      ...PEERS_AND_SLAVE,
      clone(['CLONE_NEWNS']), // task 2: copies of 5, 6, 7 join the same groups and masters
      change('/tmp/b', ['MS_SHARED'], CHILD), // shared and slave
      openTreeClone('/mnt'), // a peer of 5 in an anonymous namespace
      mkdir('/tmp/u'),
      tmpfs('/tmp/u'),
      change('/tmp/u', ['MS_UNBINDABLE']),
      lazyUmount('/mnt'), // 5 leaves: its slave 7 is handed to the peer 6
    ]);
    expect(state.mounts[mountId(5)]).toBeUndefined();
    expect(state.mounts[mountId(7)]?.mnt_master).toBe(6);
  });
  it('fires when peers disagree on their master', () => {
    const state = produce(sound(PEERS_AND_SLAVE), (draft) => {
      const peer = draft.mounts[mountId(6)];
      if (peer !== undefined) peer.mnt_master = mountId(7);
    });
    expect(messages(checkPeerGroups(state))).toContain('mounts 5 and 6 are peers in group 1 but have different masters (null and 7)');
  });
  it('fires when a slave is in the peer group of its own master', () => {
    const state = produce(sound(PEERS_AND_SLAVE), (draft) => {
      const slave = draft.mounts[mountId(7)];
      if (slave !== undefined) slave.mnt_group_id = peerGroupId(1);
    });
    expect(messages(checkPeerGroups(state))).toContain('mount 7 is a slave of mount 5 of its own peer group 1');
  });
  it('fires on a loop of masters, naming it once', () => {
    const state = produce(sound(PEERS_AND_SLAVE), (draft) => {
      const [master, peer, slave] = [draft.mounts[mountId(5)], draft.mounts[mountId(6)], draft.mounts[mountId(7)]];
      if (master === undefined || peer === undefined || slave === undefined) return;
      slave.mnt_group_id = peerGroupId(9);
      master.mnt_master = mountId(7);
      peer.mnt_master = mountId(7);
    });
    const loops = messages(checkPeerGroups(state)).filter((message) => message.includes('loop'));
    expect(loops).toEqual(["mounts 5 -> 7 -> 5 are each other's masters in a loop: propagation through them never ends"]);
  });
  it('fires when a slave still hangs on a master that umount_tree() took away without handing its slaves on', () => {
    const state = produce(sound([...PEERS_AND_SLAVE, chdir('/mnt'), lazyUmount('/mnt')]), (draft) => {
      const slave = draft.mounts[mountId(7)];
      if (slave !== undefined) slave.mnt_master = mountId(5);
    });
    expect(messages(checkPeerGroups(state))).toEqual([
      'mount 7 is a slave of mount 5, which is in no namespace: its slaves should have been handed on',
      'mount 7 is a slave of mount 5, which is in no peer group: its slaves should have been handed on',
    ]);
  });
  it('fires when a master was freed', () => {
    const state = produce(sound(PEERS_AND_SLAVE), (draft) => {
      const slave = draft.mounts[mountId(7)];
      if (slave !== undefined) slave.mnt_master = mountId(99);
    });
    expect(messages(checkPeerGroups(state))).toEqual(['mount 7 is a slave of mount 99, which was freed']);
  });
  it('fires when an unbindable mount is shared or a slave', () => {
    const state = produce(sound(PEERS_AND_SLAVE), (draft) => {
      for (const id of [5, 7]) {
        const mount = draft.mounts[mountId(id)];
        if (mount !== undefined) mount.unbindable = true;
      }
    });
    expect(messages(checkPeerGroups(state))).toEqual([
      'mount 5 is unbindable but is in peer group 1',
      'mount 7 is unbindable but is a slave of mount 5',
    ]);
  });
  it('catches the seeded bug change-type-on-detached: a lazily unmounted mount joins a peer group (K15, CVE-2025-38498)', () => {
    const trace = [tmpfs('/mnt'), chdir('/mnt'), lazyUmount('/mnt'), change('.', ['MS_SHARED'])];
    const broken = runEvents(trace, { model: { bug: 'change-type-on-detached' } });
    expect(broken.failure?.step).toBe(3);
    expect(messages(broken.failure?.violations ?? [])).toContain('mount 5 is in no namespace but is still in peer group 1');
    const correct = runEvents(trace);
    expect(correct.failure).toBeNull();
    expect(correct.steps[3]?.result.ok).toBe(false);
  });
});

/**
 * Task 2 is in namespace 2, owned by user namespace 2 (clone with CLONE_NEWUSER|CLONE_NEWNS): its
 * copies of INIT's mounts are locked. /mnt/a is a tmpfs (5) with a tmpfs on /mnt/a/b (6); their
 * copies are 11 and 12 (12 MNT_LOCKED to 11); /mnt/ro is read-only and nosuid (7), copy 13.
 */
function lockedCopies(opts: ConstructorParameters<typeof Run>[0] = {}): Run {
  const run = new Run(opts);
  run.ok(mkdir('/mnt/a'));
  run.ok(tmpfs('/mnt/a'));
  run.ok(mkdir('/mnt/a/b'));
  run.ok(tmpfs('/mnt/a/b'));
  run.ok(mkdir('/mnt/ro'));
  run.ok({ type: 'mount', task: INIT, source: 'none', target: '/mnt/ro', fstype: 'tmpfs', flags: ['MS_RDONLY', 'MS_NOSUID'] });
  run.ok(clone(['CLONE_NEWUSER', 'CLONE_NEWNS']));
  expect(at(run, '/mnt/a/b', CHILD).mnt).toBe(12);
  expect(mnt(run, 12)).toMatchObject({ mnt_parent: 11, mnt_ns: 2, flags: { locked: true } });
  expect(mnt(run, 13)?.flags).toMatchObject({ readonly: true, lockReadonly: true, nosuid: true, lockNosuid: true });
  return run;
}

describe('locks-hold', () => {
  it('holds on a namespace copied into a less privileged user namespace, and on a remount there that keeps the locked flags', () => {
    const run = lockedCopies();
    run.ok(remount('/mnt/ro', ['MS_RDONLY', 'MS_NOSUID', 'MS_NODEV'], CHILD));
    expect(checkLocks(run.state)).toEqual([]);
    run.sound();
  });
  it('fires when a locked flag is cleared', () => {
    const state = produce(lockedCopies().state, (draft) => {
      const mount = draft.mounts[mountId(13)];
      if (mount !== undefined) mount.flags.nosuid = false;
    });
    expect(messages(checkLocks(state))).toEqual(['mount 13 has MNT_LOCK_NOSUID but not MNT_NOSUID: a locked flag was cleared']);
  });
  it('fires when a mounted MNT_LOCKED mount has no parent', () => {
    const state = produce(lockedCopies().state, (draft) => {
      unlink(draft, 11, 12);
      const mount = draft.mounts[mountId(12)];
      if (mount !== undefined) Object.assign(mount, { mnt_parent: null, mnt_mountpoint: null });
    });
    expect(messages(checkLocks(state))).toContain('mount 12 is MNT_LOCKED and mounted in namespace 2 but has no parent to be locked to');
  });
  it('fires on a step that clears a lock bit, even when the flag stays', () => {
    const before = lockedCopies().state;
    const after = produce(before, (draft) => {
      const mount = draft.mounts[mountId(13)];
      if (mount !== undefined) mount.flags.lockReadonly = false;
    });
    expect(checkLocks(after)).toEqual([]);
    expect(messages(checkLocksStep(before, after, remount('/mnt/ro', ['MS_RDONLY'], CHILD)))).toEqual([
      'mount 13 lost MNT_LOCK_READONLY: a lock bit is never cleared',
    ]);
  });
  it('catches the seeded bug remount-clears-locked-flags: a remount in the less privileged namespace clears a locked flag (K11)', () => {
    const broken = lockedCopies({ bug: 'remount-clears-locked-flags' });
    broken.ok(remount('/mnt/ro', [], CHILD));
    expect(messages(checkLocks(broken.state))).toEqual([
      'mount 13 has MNT_LOCK_READONLY but not MNT_READONLY: a locked flag was cleared',
      'mount 13 has MNT_LOCK_NOSUID but not MNT_NOSUID: a locked flag was cleared',
    ]);
    lockedCopies().fails(remount('/mnt/ro', [], CHILD), 'EPERM');
  });
  // INIT lazily unmounts /mnt/a, then removes the directory: /mnt/a is no longer a mountpoint in its
  // namespace, so __detach_mounts() unmounts the copy 11 in namespace 2, which task 2's cwd holds;
  // an O_PATH fd of task 2 holds 12.
  const detachTrace = (run: Run): { before: State; after: State; event: Event } => {
    run.ok(chdir('/mnt/a', CHILD));
    run.ok({ type: 'open', task: CHILD, path: '/mnt/a/b', flags: ['O_PATH'] }); // holds 12
    run.ok(lazyUmount('/mnt/a'));
    return transition(run, rmdir('/mnt/a'));
  };
  it('catches the seeded bug detach-mounts-disconnects-locked: __detach_mounts() cuts a locked child off its held parent (K14)', () => {
    const { before, after, event } = detachTrace(lockedCopies({ bug: 'detach-mounts-disconnects-locked' }));
    expect(messages(checkLocksStep(before, after, event))).toEqual([
      'mount 12 is MNT_LOCKED but was separated from its parent mount 11, which still exists: what it covered there can now be seen',
    ]);
  });
  it('holds when __detach_mounts() leaves the locked child connected, and when it later disconnects it from a removed dentry', () => {
    const run = lockedCopies();
    const { before, after, event } = detachTrace(run);
    expect(after.mounts[mountId(11)]).toMatchObject({ mnt_ns: null, mnt_parent: null });
    expect(after.mounts[mountId(12)]).toMatchObject({ mnt_ns: null, mnt_parent: 11 });
    expect(checkLocksStep(before, after, event)).toEqual([]);
    // task 2, inside the unmounted 11, removes b: 12 is not in its namespace, so b is no local mountpoint
    const second = transition(run, rmdir('b', CHILD));
    expect(second.after.mounts[mountId(12)]).toMatchObject({ mnt_parent: null, flags: { locked: true } });
    expect(checkLocksStep(second.before, second.after, second.event)).toEqual([]);
    expect(checkLocks(second.after)).toEqual([]);
    run.sound();
  });
  it('holds when a locked mount is slid on top of a propagated copy, or down into the place of an unmounted mount it covered', () => {
    const before = lockedCopies().state;
    const locked = before.mounts[mountId(12)] as Mount;
    // attach_recursive_mnt(): a copy 99 lands on (11, b), where 12 sat; 12 goes on top of it
    const slid = produce(before, (draft) => {
      unlink(draft, 11, 12);
      draft.mounts[mountId(99)] = { ...locked, id: mountId(99), mnt_mounts: [mountId(12)], flags: { ...locked.flags, locked: false } };
      draft.mounts[mountId(11)]?.mnt_mounts.push(mountId(99));
      Object.assign(draft.mounts[mountId(12)] ?? {}, { mnt_parent: 99, mnt_mountpoint: locked.mnt_root });
    });
    expect(checkLocksStep(before, slid, tmpfs('/mnt/a/b'))).toEqual([]);
    // reparent(): 11 is unmounted by propagation and 12 takes its place on (7, /mnt/a)
    const parent = before.mounts[mountId(11)] as Mount;
    const reparented = produce(before, (draft) => {
      unlink(draft, 11, 12);
      unlink(draft, parent.mnt_parent as number, 11);
      draft.mounts[parent.mnt_parent as MountId]?.mnt_mounts.push(mountId(12));
      Object.assign(draft.mounts[mountId(11)] ?? {}, { mnt_ns: null, mnt_parent: null, mnt_mountpoint: null });
      Object.assign(draft.mounts[mountId(12)] ?? {}, { mnt_parent: parent.mnt_parent, mnt_mountpoint: parent.mnt_mountpoint });
    });
    expect(checkLocksStep(before, reparented, lazyUmount('/mnt/a'))).toEqual([]);
    // the same move with 11 still mounted reveals b
    const revealed = produce(reparented, (draft) => {
      const stays = draft.mounts[mountId(11)];
      if (stays !== undefined) stays.mnt_ns = mntNsId(2);
    });
    expect(messages(checkLocksStep(before, revealed, lazyUmount('/mnt/a')))).toEqual([
      'mount 12 is MNT_LOCKED but was separated from its parent mount 11, which still exists: what it covered there can now be seen',
    ]);
  });
});

/** /mnt is a shared tmpfs (5) with a directory x; task 2 has a copy of the namespace, so its /mnt (9) is a peer. */
const SHARED_ACROSS: readonly Event[] = [tmpfs('/mnt'), change('/mnt', ['MS_SHARED']), mkdir('/mnt/x'), clone(['CLONE_NEWNS'])];

describe('propagation-exact', () => {
  it('holds when a mount on a shared mount appears once in its peer in another namespace', () => {
    const state = sound([...SHARED_ACROSS, tmpfs('/mnt/x')]);
    expect(state.mounts[mountId(11)]).toMatchObject({ mnt_parent: 9, mnt_ns: 2 });
  });
  it('holds for slaves: the master\'s mounts reach them, theirs do not reach the master', () => {
    sound([...SHARED_ACROSS, change('/mnt', ['MS_SLAVE'], CHILD), tmpfs('/mnt/x'), mkdir('/mnt/y'), tmpfs('/mnt/y', CHILD)]);
  });
  it('holds when a peer cannot see the mountpoint from its root, and when a detached peer gets nothing', () => {
    sound([
      tmpfs('/mnt'),
      change('/mnt', ['MS_SHARED']),
      mkdir('/mnt/s'),
      mkdir('/tmp/s'),
      bind('/mnt/s', '/tmp/s'), // a peer rooted at s
      openTreeClone('/mnt'), // a peer in an anonymous namespace
      mkdir('/mnt/y'),
      tmpfs('/mnt/y'), // neither /tmp/s nor the detached peer gets a copy
      tmpfs('/mnt/s'), // mount 9 on /mnt/s; its copy lands on the root of /tmp/s (mount 6)
    ]);
  });
  it('holds when a mount is moved under a shared mount and its copies are propagated', () => {
    sound([...SHARED_ACROSS, mkdir('/tmp/m'), tmpfs('/tmp/m'), { type: 'mount', task: INIT, source: '/tmp/m', target: '/mnt/x', fstype: null, flags: ['MS_MOVE'] }]);
  });
  it('catches the seeded bug propagate-into-anon-ns: a detached tree receives a copy (K10)', () => {
    const trace = [tmpfs('/mnt'), change('/mnt', ['MS_SHARED']), mkdir('/mnt/x'), openTreeClone('/mnt'), tmpfs('/mnt/x')];
    const broken = runEvents(trace, { model: { bug: 'propagate-into-anon-ns' } });
    expect(broken.failure?.step).toBe(4);
    expect(messages(broken.failure?.violations ?? [])).toEqual([
      'mount 6 got mount 8, a copy of what was mounted on dentry ' +
        `${String(broken.state.mounts[mountId(7)]?.mnt_mountpoint)} of mount 5, but it is in anonymous namespace 2, which receives no propagation`,
    ]);
    expect(runEvents(trace).failure).toBeNull();
  });
  const propagated = (): { before: State; after: State; event: Event } => {
    const run = new Run();
    for (const event of SHARED_ACROSS) run.ok(event);
    return transition(run, tmpfs('/mnt/x')); // mount 10 on 5, its copy 11 on 9
  };
  it('fires when a receiver gets no copy', () => {
    const { before, after, event } = propagated();
    const missing = produce(after, (draft) => {
      unlink(draft, 9, 11);
      delete draft.mounts[mountId(11)];
    });
    expect(messages(checkPropagationStep(before, missing, event))).toEqual([
      `mount 9 receives propagation from mount 5 and can see dentry ${String(after.mounts[mountId(10)]?.mnt_mountpoint)}, but got no copy of what was mounted there`,
    ]);
  });
  it('fires when a mount that does not receive from the destination gets a copy', () => {
    const { before, after, event } = propagated();
    const copy = after.mounts[mountId(11)] as Mount;
    const extra = produce(after, (draft) => {
      draft.mounts[mountId(12)] = { ...copy, id: mountId(12), mnt_parent: mountId(2), mnt_ns: mntNsId(1), mnt_mounts: [] };
      draft.mounts[mountId(2)]?.mnt_mounts.push(mountId(12));
    });
    expect(messages(checkPropagationStep(before, extra, event))).toEqual([
      `mount 2 got mount 12, a copy of what was mounted on dentry ${String(copy.mnt_mountpoint)} of mount 5, but it is not a receiver of mount 5`,
    ]);
  });
  it('fires when a receiver gets two copies at the same place', () => {
    const { before, after, event } = propagated();
    const copy = after.mounts[mountId(11)] as Mount;
    const twice = produce(after, (draft) => {
      draft.mounts[mountId(12)] = { ...copy, id: mountId(12), mnt_mounts: [] };
      draft.mounts[mountId(9)]?.mnt_mounts.push(mountId(12));
    });
    expect(messages(checkPropagationStep(before, twice, event))).toEqual([
      `mount 9 got two new mounts, 11 and 12, on dentry ${String(copy.mnt_mountpoint)} in one step: a receiver gets exactly one copy`,
    ]);
  });
});

describe('privileges-respected', () => {
  it('holds for remounts and mount_setattr() by the owner, and for a detached tree changed by whoever holds its fd (6.18.44)', () => {
    sound([
      tmpfs('/mnt'),
      remount('/mnt', ['MS_NOSUID']),
      { type: 'mount_setattr', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: [], attr_set: ['MOUNT_ATTR_NODEV'], attr_clr: [], propagation: null },
      openTreeClone('/mnt'), // fd 3, inherited by the child
      clone(['CLONE_NEWUSER', 'CLONE_NEWNS']),
      { type: 'mount_setattr', task: CHILD, dfd: fdOf(3), path: '', flags: ['AT_EMPTY_PATH'], attr_set: ['MOUNT_ATTR_RDONLY'], attr_clr: [], propagation: null },
    ]);
  });
  it('fires when a task changes the flags of a mount of a namespace whose user namespace it has no capability in', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(dropCaps);
    const before = run.state;
    const after = produce(before, (draft) => {
      const mount = draft.mounts[mountId(5)];
      if (mount !== undefined) Object.assign(mount.flags, { nosuid: true, readonly: true });
    });
    expect(messages(checkPrivilegesStep(before, after, remount('/mnt', ['MS_RDONLY', 'MS_NOSUID'])))).toEqual([
      'task 1 changed the flags of mount 5 (MNT_READONLY set, MNT_NOSUID set) without CAP_SYS_ADMIN over user namespace 1, the owner of mount namespace 1',
    ]);
  });
  it('fires when the flags of a mount in no namespace change', () => {
    const run = new Run();
    run.ok(tmpfs('/mnt'));
    run.ok(chdir('/mnt'));
    run.ok(lazyUmount('/mnt'));
    const before = run.state;
    const after = produce(before, (draft) => {
      const mount = draft.mounts[mountId(5)];
      if (mount !== undefined) mount.flags.noexec = true;
    });
    expect(messages(checkPrivilegesStep(before, after, remount('.', ['MS_NOEXEC'])))).toEqual([
      'task 1 changed the flags of mount 5 (MNT_NOEXEC set), which is in no namespace: nobody may change them',
    ]);
  });
  it('catches the seeded bug umount-root-skips-capability: umount2 of the own root makes a more privileged superblock read-only (K12)', () => {
    const trace: Event[] = [
      dropCaps,
      { type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
      bind('/tmp', '/mnt'),
      { type: 'chroot', task: INIT, path: '/mnt' },
      { type: 'umount2', task: INIT, target: '/', flags: [] },
    ];
    const broken = runEvents(trace, { model: { bug: 'umount-root-skips-capability' } });
    expect(broken.failure?.step).toBe(4);
    expect(messages(broken.failure?.violations ?? [])).toEqual([
      'task 1 made superblock 2 read-only without CAP_SYS_ADMIN over its owner, user namespace 1',
    ]);
    const correct = runEvents(trace);
    expect(correct.failure).toBeNull();
    expect(correct.state.superBlocks[superBlockId(2)]?.sb_rdonly).toBe(false);
  });
});

describe('state and step invariants in a run', () => {
  const counting = () => {
    const calls = { state: 0, step: 0 };
    return {
      calls,
      invariant: {
        name: 'counting',
        guards: 'nothing',
        check: () => {
          calls.state++;
          return [];
        },
        checkStep: (_before: State, _after: State, event: Event) => {
          calls.step++;
          return event.type === 'mkdir' && event.path === '/tmp/bad'
            ? [{ invariant: 'counting', objects: [], message: 'a step to object to' }]
            : [];
        },
      },
    };
  };
  it('skips both after a step that changed nothing (every failed syscall)', () => {
    const { calls, invariant } = counting();
    const outcome = runEvents([mkdir('/tmp/a'), lazyUmount('/tmp'), mkdir('/tmp/a'), tmpfs('/mnt')], { invariants: [invariant] });
    expect(outcome.steps.map((step) => step.result.ok)).toEqual([true, false, false, true]);
    expect(calls).toEqual({ state: 2, step: 2 });
  });
  it('reports a step invariant\'s violation at the step that broke it', () => {
    const { invariant } = counting();
    const outcome = runEvents([mkdir('/tmp/a'), mkdir('/tmp/bad'), mkdir('/tmp/c')], { invariants: [invariant] });
    expect(outcome.failure).toEqual({ step: 1, violations: [{ invariant: 'counting', objects: [], message: 'a step to object to' }] });
  });
  it('checkInvariants runs only state checks and checkStepInvariants only step checks', () => {
    const { calls, invariant } = counting();
    const run = new Run();
    const { before, after, event } = transition(run, mkdir('/tmp/a'));
    expect(checkInvariants(after, [invariant])).toEqual([]);
    expect(checkStepInvariants(before, after, event, [invariant])).toEqual([]);
    expect(calls).toEqual({ state: 1, step: 1 });
  });
});
