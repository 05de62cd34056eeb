// Short scripted command sequences that lead to states random single commands almost never line
// up: a namespace whose rootfs is bare and is the caller's root, a mount of a sb the caller's user
// namespace does not own as its root, a directory removed under the cwd, a peer rooted where a
// mount is to go beneath. The generator mixes them, rarely, among its single commands (see
// generators.ts). Every step is optional: shrinking can drop any step of a scenario on its own, so
// a shrunk counterexample keeps only the steps it needs, as with single commands. All steps of one
// scenario are taken by the same task (one actor pick); they run in whatever state the commands
// before them left, so a scenario may also fail early, which is just another run.
import fc from 'fast-check';
import type { Command, CommandEvent } from './commands.js';

/** A scenario: the steps one task takes, in order. */
export type Scenario = readonly CommandEvent[];

const tmpfs = (target: string): CommandEvent => ({ type: 'mount', source: 'none', target, fstype: 'tmpfs', flags: [] });
const mkdir = (path: string): CommandEvent => ({ type: 'mkdir', path });

/**
 * umount2("/", MNT_DETACH) of the caller's own root leaves the namespace's rootfs with nothing on
 * top; setns() into the same namespace (through an nsfs fd opened before) then makes the bare
 * rootfs the root and cwd (mntns_install: the topmost mount on the namespace root).
 */
const BARE_ROOTFS: Scenario = [
  { type: 'open', path: '/proc/self/ns/mnt', flags: [] },
  { type: 'umount2', target: '/', flags: ['MNT_DETACH'] },
  { type: 'setns', fd: 0, nstype: 'CLONE_NEWNS' },
];

export const SCENARIOS = {
  /** The namespace root is the caller's root: do_umount and pivot_root find no parent. */
  rootfsIsRoot: [
    ...BARE_ROOTFS,
    // do_umount(): !mnt_has_parent (MNT_DETACH gets past the caller's-root case)
    { type: 'umount2', target: '/', flags: ['MNT_DETACH'] },
    // do_move_mount(): the namespace root as the source
    { type: 'mount', source: '/', target: '/', fstype: null, flags: ['MS_MOVE'] },
    mkdir('/mnt'),
    tmpfs('/mnt'),
    // pivot_root(): !mnt_has_parent(root_mnt)
    { type: 'pivot_root', new_root: '/mnt', put_old: '/mnt' },
  ],
  /** A tmpfs on the bare rootfs is the root, the cwd stays on rootfs: pivot_root(".") onto it. */
  rootfsIsNewRoot: [
    ...BARE_ROOTFS,
    tmpfs('/'),
    // follow_dotdot() at the root steps onto the mount stacked on it
    { type: 'chroot', path: '/..' },
    mkdir('/mnt'),
    tmpfs('/mnt'),
    // pivot_root(): !mnt_has_parent(new_mnt)
    { type: 'pivot_root', new_root: '.', put_old: '/mnt' },
  ],
  /** In a new user namespace, the root is a bind mount of a superblock owned by the initial one. */
  unownedRoot: [
    { type: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
    { type: 'mount', source: '/mnt', target: '/mnt', fstype: null, flags: ['MS_BIND'] },
    { type: 'chroot', path: '/mnt' },
    // can_umount(): MNT_FORCE && !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)
    { type: 'umount2', target: '/', flags: ['MNT_FORCE'] },
    // do_umount(): the caller's root, !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)
    { type: 'umount2', target: '/', flags: [] },
  ],
  /** pivot_root(".") with the cwd's directory removed. */
  removedCwd: [
    mkdir('/tmp/a'),
    { type: 'chdir', path: '/tmp/a' },
    { type: 'rmdir', path: '/tmp/a' },
    // pivot_root(): d_unlinked(new.dentry)
    { type: 'pivot_root', new_root: '.', put_old: '/' },
  ],
  /**
   * A peer of /mnt rooted at /mnt/a's dentry (bound from the cwd under the tmpfs on /mnt/a), moved
   * beneath that tmpfs: /mnt's propagation would overmount the source.
   */
  peerBeneath: [
    tmpfs('/mnt'),
    mkdir('/mnt/a'),
    { type: 'chdir', path: '/mnt/a' },
    tmpfs('/mnt/a'),
    { type: 'mount', source: null, target: '/mnt', fstype: null, flags: ['MS_SHARED'] },
    mkdir('/tmp/a'),
    { type: 'mount', source: '.', target: '/tmp/a', fstype: null, flags: ['MS_BIND'] },
    // can_move_mount_beneath(): propagation_would_overmount(parent_mnt_to, mnt_from, mp)
    { type: 'move_mount', from_dfd: 'AT_FDCWD', from_path: '/tmp/a', to_dfd: 'AT_FDCWD', to_path: '/mnt/a', flags: ['MOVE_MOUNT_BENEATH'] },
  ],
  /** A mount moved beneath its own parent. */
  beneathOwnParent: [
    tmpfs('/mnt'),
    mkdir('/mnt/a'),
    tmpfs('/mnt/a'),
    // can_move_mount_beneath(): mnt_to is an ancestor of mnt_from
    { type: 'move_mount', from_dfd: 'AT_FDCWD', from_path: '/mnt/a', to_dfd: 'AT_FDCWD', to_path: '/mnt', flags: ['MOVE_MOUNT_BENEATH'] },
  ],
  /** Chrooted to a tmpfs on /mnt with the cwd at "/": a detached tree beneath "/" sits on rootfs. */
  beneathOnNsRoot: [
    { type: 'chdir', path: '/' },
    tmpfs('/mnt'),
    { type: 'open_tree', dfd: 'AT_FDCWD', path: '/tmp', flags: ['OPEN_TREE_CLONE'] },
    { type: 'chroot', path: '/mnt' },
    // can_move_mount_beneath(): parent_mnt_to == current->nsproxy->mnt_ns->root
    {
      type: 'move_mount',
      from_dfd: 0,
      from_path: '',
      to_dfd: 'AT_FDCWD',
      to_path: '.',
      flags: ['MOVE_MOUNT_F_EMPTY_PATH', 'MOVE_MOUNT_BENEATH'],
    },
  ],
  /** A mount copied, locked, into a new user namespace, made unbindable there, then copied recursively. */
  lockedUnbindable: [
    tmpfs('/mnt'),
    { type: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
    { type: 'mount', source: null, target: '/mnt', fstype: null, flags: ['MS_UNBINDABLE'] },
    // copy_tree(): an unbindable MNT_LOCKED child cannot be skipped
    { type: 'open_tree', dfd: 'AT_FDCWD', path: '/', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] },
  ],
  /** A peer of shared /mnt bound on /mnt/a, rooted there: a tree beneath it would be overmounted by propagation. */
  peerOnItsMountpoint: [
    tmpfs('/mnt'),
    { type: 'mount', source: null, target: '/mnt', fstype: null, flags: ['MS_SHARED'] },
    mkdir('/mnt/a'),
    { type: 'mount', source: '/mnt/a', target: '/mnt/a', fstype: null, flags: ['MS_BIND'] },
    { type: 'open_tree', dfd: 'AT_FDCWD', path: '/tmp', flags: ['OPEN_TREE_CLONE'] },
    // can_move_mount_beneath(): propagation_would_overmount(parent_mnt_to, mnt_to, mp)
    {
      type: 'move_mount',
      from_dfd: 0,
      from_path: '',
      to_dfd: 'AT_FDCWD',
      to_path: '/mnt/a',
      flags: ['MOVE_MOUNT_F_EMPTY_PATH', 'MOVE_MOUNT_BENEATH'],
    },
  ],
  /** A read-only mount copied, locked, into a new user namespace: remounting it read-write is refused. */
  lockedReadonly: [
    { type: 'mount', source: 'none', target: '/mnt', fstype: 'tmpfs', flags: ['MS_RDONLY'] },
    { type: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
    // do_reconfigure_mnt(): !can_change_locked_flags(mnt, mnt_flags)
    { type: 'mount', source: null, target: '/mnt', fstype: null, flags: ['MS_REMOUNT', 'MS_BIND'] },
    // do_remount(): !can_change_locked_flags(mnt, mnt_flags)
    { type: 'mount', source: null, target: '/mnt', fstype: null, flags: ['MS_REMOUNT'] },
    // mount_setattr_prepare(): !can_change_locked_flags(m, kattr)
    { type: 'mount_setattr', dfd: 'AT_FDCWD', path: '/mnt', flags: [], attr_set: [], attr_clr: ['MOUNT_ATTR_RDONLY'], propagation: null },
  ],
  /** Chrooted to a tmpfs whose parent, "/", is shared: pivot_root() from there is refused. */
  rootOnShared: [
    tmpfs('/mnt'),
    { type: 'mount', source: null, target: '/', fstype: null, flags: ['MS_SHARED'] },
    { type: 'chroot', path: '/mnt' },
    mkdir('/a'),
    tmpfs('/a'),
    // pivot_root(): IS_MNT_SHARED(root_mnt->mnt_parent)
    { type: 'pivot_root', new_root: '/a', put_old: '/a' },
  ],
  /**
   * A bind mount rooted at a subdirectory, and a mount on its "..": follow_dotdot() at a mount root
   * must climb to the mountpoint (choose_mountpoint()), not to the parent dentry in the same mount.
   */
  dotdotAtBindRoot: [
    mkdir('/tmp/a'),
    { type: 'mount', source: '/tmp/a', target: '/mnt', fstype: null, flags: ['MS_BIND'] },
    tmpfs('/mnt/..'),
  ],
  /** A file with a file bind-mounted on it, unlinked in the namespace that sees the mount. */
  unlinkMountpoint: [
    { type: 'mknod', path: '/mnt/f' },
    { type: 'mknod', path: '/tmp/f' },
    { type: 'mount', source: '/tmp/f', target: '/mnt/f', fstype: null, flags: ['MS_BIND'] },
    // vfs_unlink(): is_local_mountpoint(dentry)
    { type: 'unlink', path: '/mnt/f' },
  ],
  /** An unbindable mount moved under a shared one. */
  unbindableToShared: [
    tmpfs('/mnt'),
    { type: 'mount', source: null, target: '/mnt', fstype: null, flags: ['MS_SHARED'] },
    mkdir('/mnt/b'),
    mkdir('/tmp/a'),
    tmpfs('/tmp/a'),
    { type: 'mount', source: null, target: '/tmp/a', fstype: null, flags: ['MS_UNBINDABLE'] },
    // do_move_mount(): IS_MNT_SHARED(p) && tree_contains_unbindable(old)
    { type: 'mount', source: '/tmp/a', target: '/mnt/b', fstype: null, flags: ['MS_MOVE'] },
  ],
  /**
   * A detached tree of the caller's own nsfs file (open_tree of /proc/self/ns/mnt), moved onto a
   * file of the namespace it would pin: the reference loop do_move_mount()'s
   * check_for_nsfs_mounts() is there to refuse (ELOOP).
   */
  nsfsTreeIntoItsNamespace: [
    { type: 'open_tree', dfd: 'AT_FDCWD', path: '/proc/self/ns/mnt', flags: ['OPEN_TREE_CLONE'] },
    { type: 'mknod', path: '/mnt/f' },
    { type: 'move_mount', from_dfd: 0, from_path: '', to_dfd: 'AT_FDCWD', to_path: '/mnt/f', flags: ['MOVE_MOUNT_F_EMPTY_PATH'] },
  ],
} as const satisfies Record<string, Scenario>;

/** How often a step of a scenario is left out when it is generated (1 in this many). */
const STEP_SKIP_FREQUENCY = 50;

/**
 * A scenario's commands, each step an fc.option that shrinks to "left out", all by one actor.
 * Left-out steps are filtered away, so only the kept ones reach the trace.
 */
export function scenarioCommands(scenario: Scenario): fc.Arbitrary<Command[]> {
  const steps = scenario.map((event) => fc.option(fc.constant(event), { freq: STEP_SKIP_FREQUENCY, nil: null }));
  return fc.tuple(fc.nat({ max: 7 }), fc.tuple(...steps)).map(([actor, events]) =>
    events.filter((event): event is CommandEvent => event !== null).map((event) => ({ actor, event })),
  );
}

export const scenario: fc.Arbitrary<Command[]> = fc.oneof(...Object.values(SCENARIOS).map(scenarioCommands));
