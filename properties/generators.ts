// fast-check arbitraries of whole command sequences. The vocabulary of paths is small on purpose,
// so that random sequences keep meeting the same directories: they stack and nest mounts, unmount
// what others still hold, bind-mount each other's namespace files, share mounts across namespaces,
// and pass detached trees between tasks. Weights are named here.
import fc from 'fast-check';
import type { CloneFlag, MountAttr, MountFlag, PropagationType, UmountFlag } from '../model/index.js';
import { MOUNT_ATTRS } from '../model/index.js';
import type { Command, CommandEvent, DirfdPick, PathTemplate } from './commands.js';
import { scenario } from './scenarios.js';

export const DIRECTORIES: readonly PathTemplate[] = ['/mnt/a', '/mnt/b', '/mnt/a/b', '/tmp/a', '/mnt', '/tmp', '/', '/tmp/..', '/mnt/a/..'];
export const RELATIVE: readonly PathTemplate[] = ['a', 'b', '..', '.', 'a/b'];
export const FILES: readonly PathTemplate[] = ['/mnt/f', '/mnt/f', '/tmp/f', '/tmp/f', '/mnt/a/f', 'f'];
export const NSFS_FILES: readonly PathTemplate[] = ['/proc/self/ns/mnt', '/proc/{other:0}/ns/mnt', '/proc/{other:1}/ns/mnt', '/proc/{pid:2}/ns/mnt'];
export const NSFS_TARGETS: readonly PathTemplate[] = ['/mnt/f', '/tmp/f'];
export const MAGIC_LINKS: readonly PathTemplate[] = ['/proc/{other:0}/root/mnt/a', '/proc/{other:0}/cwd', '/proc/self/fd/{fd:0}', '/proc/self/fd/{fd:1}'];
/**
 * Names that fail in the path walk itself, each in its own way: an empty name, a trailing slash or
 * a component below a non-directory, a /proc entry or namespace the model does not know, a name
 * below the nsfs file, a /proc directory where a directory on a mount is wanted, and a
 * /proc/<pid> directory (S_IMMUTABLE) for rmdir and unlink.
 */
export const ODD_PATHS: readonly PathTemplate[] = [
  '',
  '/mnt/f/',
  '/mnt/f/x',
  '/mnt/a/',
  '/proc/self/ns/mnt/',
  '/proc/self/ns/mnt/x',
  '/proc/self/ns/net',
  '/proc/self/nope',
  '/proc/self/ns',
  '/proc/self',
  '/proc/{pid:0}',
];
/**
 * Where mounts usually have their roots: the targets of propagation changes, remounts,
 * mount_setattr and open_tree. "/" comes often: a shared "/" copied by clone(CLONE_NEWNS) is what
 * makes peer groups span namespaces. "." and the fd links reach cwds and fds on unmounted mounts.
 */
export const MOUNT_ROOTS: readonly PathTemplate[] = [
  '/',
  '/',
  '/',
  '/mnt/a',
  '/tmp/a',
  '/mnt/a/b',
  '/mnt',
  '/tmp',
  '/proc',
  '.',
  '/proc/self/fd/{fd:0}',
];
/**
 * The places mounts go, favoured by new mounts, umounts and MS_MOVE sources so that they meet;
 * /mnt and /tmp exist from boot.
 */
export const MOUNT_PLACES: readonly PathTemplate[] = ['/mnt', '/tmp', '/mnt', '/tmp', '/mnt/a', '/tmp/a', '/mnt/b', '/mnt/a/b'];
/** The places mounts go that do not exist from boot, which mkdir makes more often than others. */
export const MKDIR_PLACES: readonly PathTemplate[] = ['/mnt/a', '/tmp/a', '/mnt/b', '/mnt/a/b'];
/**
 * pivot_root(new_root, put_old) pairs that can succeed, besides pairs of random directories. "."
 * with a cwd outside the root is the way to a new root that is not reachable from the old one.
 */
export const PIVOT_ROOTS: readonly (readonly [PathTemplate, PathTemplate])[] = [
  ['/mnt', '/mnt'],
  ['/mnt', '/mnt'],
  ['/mnt', '/mnt'],
  ['/tmp', '/tmp'],
  ['/tmp', '/tmp'],
  ['/tmp', '/tmp'],
  ['.', '.'],
  ['.', '.'],
  ['.', '.'],
  ['/mnt/a', '/mnt/a'],
];

/** Relative weights of each kind of command in a generated sequence. */
export const WEIGHTS = {
  mkdir: 6,
  mknod: 3,
  mountTmpfs: 6,
  bind: 4,
  bindNsfs: 3,
  rbind: 2,
  umount: 7,
  clone: 6,
  /** clone(CLONE_NEWUSER[|CLONE_NEWNS]): namespaces owned by a new user namespace, locked mounts. */
  cloneUserns: 2,
  unshare: 3,
  unshareUserns: 1,
  setns: 3,
  exit: 1,
  open: 6,
  close: 3,
  dup: 1,
  chdir: 3,
  fchdir: 2,
  chroot: 2,
  rmdir: 2,
  unlink: 1,
  socketpair: 5,
  sendmsg: 6,
  recvmsg: 6,
  capset: 1,
  /**
   * mount(2) with MS_SHARED[|MS_REC], mostly of "/": a shared mount that clone(CLONE_NEWNS) then
   * copies is what makes peer groups span namespaces.
   */
  makeShared: 4,
  /** mount(2) with MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE, with or without MS_REC. */
  propagation: 4,
  /** mount(2) with MS_MOVE. */
  move: 3,
  /** mount(2) with MS_REMOUNT, or MS_REMOUNT|MS_BIND. */
  remount: 2,
  pivotRoot: 4,
  openTree: 5,
  moveMount: 5,
  fsopen: 2,
  fsconfig: 3,
  fsmount: 3,
  mountSetattr: 2,
  /** mount(2) with a missing source or fstype, an unknown fstype, or procfs again on /proc. */
  oddMount: 1,
} as const;

/** How often sendmsg passes more than SCM_MAX_FD (253) descriptors, against the usual one or two. */
const TOO_MANY_FDS_WEIGHT = 1;

/** How often a path argument is one of ODD_PATHS, against the usual ones. */
const ODD_PATH_WEIGHT = 1;

/** How long generated sequences are. */
export const MAX_COMMANDS = 80;

const pick = fc.nat({ max: 7 });
const from = <T>(values: readonly T[]) => fc.constantFrom(...values);
const directory = fc.oneof(
  { weight: 6, arbitrary: from(DIRECTORIES) },
  { weight: 2, arbitrary: from(RELATIVE) },
  { weight: 1, arbitrary: from(MAGIC_LINKS) },
);
const file = from(FILES);
const oddPath = from(ODD_PATHS);
const anyPath = fc.oneof(
  { weight: 4, arbitrary: directory },
  { weight: 2, arbitrary: file },
  { weight: 2, arbitrary: from(NSFS_FILES) },
  { weight: ODD_PATH_WEIGHT, arbitrary: oddPath },
);
const mountRoot = fc.oneof({ weight: 3, arbitrary: from(MOUNT_ROOTS) }, { weight: 1, arbitrary: directory });
/** What make-shared targets: "/" half of the time. */
const sharedRoot = fc.oneof({ weight: 1, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: mountRoot });
/** Where mounts go, and what mkdir, rmdir, chdir and chroot name: often the usual places. */
const mountPlace = fc.oneof({ weight: 1, arbitrary: from(MOUNT_PLACES) }, { weight: 2, arbitrary: directory });
/** Where a new tmpfs goes: where mounts go, now and then a file (graft_tree refuses a directory on it). */
const tmpfsTarget = fc.oneof({ weight: 8, arbitrary: mountPlace }, { weight: 1, arbitrary: file });
const mkdirPlace = fc.oneof({ weight: 2, arbitrary: from(MKDIR_PLACES) }, { weight: 3, arbitrary: directory });
/** What unlink and rmdir name: mostly what each removes, sometimes what the other one does. */
const unlinkPath = fc.oneof({ weight: 4, arbitrary: file }, { weight: 1, arbitrary: directory }, { weight: ODD_PATH_WEIGHT, arbitrary: oddPath });
const rmdirPlace = fc.oneof({ weight: 6, arbitrary: mountPlace }, { weight: 1, arbitrary: file }, { weight: ODD_PATH_WEIGHT, arbitrary: oddPath });
/** What chdir and chroot name: where mounts go, sometimes a namespace file, a regular file or an odd name. */
const chdirPlace = fc.oneof(
  { weight: 8, arbitrary: mountPlace },
  { weight: 1, arbitrary: from(NSFS_FILES) },
  { weight: 1, arbitrary: file },
  { weight: ODD_PATH_WEIGHT, arbitrary: oddPath },
);
const umountTarget = fc.oneof({ weight: 1, arbitrary: from(MOUNT_PLACES) }, { weight: 1, arbitrary: anyPath });
const moveSource = fc.oneof({ weight: 3, arbitrary: from(MOUNT_PLACES) }, { weight: 1, arbitrary: directory });
/** Where moves put a mount: directories, and the files nsfs trees go on. */
const moveTarget = fc.oneof(
  { weight: 2, arbitrary: from(MOUNT_PLACES) },
  { weight: 3, arbitrary: directory },
  { weight: 1, arbitrary: from(NSFS_TARGETS) },
);
/** What open_tree copies: mostly mounts, sometimes a namespace file (a tree that pins a namespace). */
const treeSource = fc.oneof({ weight: 6, arbitrary: mountRoot }, { weight: 1, arbitrary: from(NSFS_FILES) });

const UMOUNT_FLAG_SETS: readonly (readonly UmountFlag[])[] = [
  [],
  [],
  ['MNT_DETACH'],
  ['MNT_DETACH'],
  ['MNT_DETACH'],
  ['MNT_EXPIRE'],
  ['UMOUNT_NOFOLLOW'],
  ['MNT_FORCE'],
  ['MNT_EXPIRE', 'MNT_DETACH'],
];
const CLONE_FLAG_SETS: readonly (readonly CloneFlag[])[] = [
  ['CLONE_NEWNS'],
  ['CLONE_NEWNS'],
  ['CLONE_NEWNS', 'CLONE_FILES'],
  [],
  ['CLONE_FS'],
  ['CLONE_FILES'],
  ['CLONE_FS', 'CLONE_FILES'],
  ['CLONE_NEWNS', 'CLONE_FS'],
];
const USERNS_CLONE_FLAG_SETS: readonly (readonly CloneFlag[])[] = [
  ['CLONE_NEWUSER', 'CLONE_NEWNS'],
  ['CLONE_NEWUSER', 'CLONE_NEWNS'],
  ['CLONE_NEWUSER', 'CLONE_NEWNS', 'CLONE_FILES'],
  ['CLONE_NEWUSER'],
  ['CLONE_NEWUSER', 'CLONE_FS'],
];
/** Shared first: sharing is what the other types need before they change anything. */
const PROPAGATION_FLAG_SETS: readonly (readonly MountFlag[])[] = [
  ['MS_SHARED'],
  ['MS_SHARED'],
  ['MS_SHARED', 'MS_REC'],
  ['MS_SHARED', 'MS_REC'],
  ['MS_SLAVE'],
  ['MS_SLAVE'],
  ['MS_SLAVE', 'MS_REC'],
  ['MS_PRIVATE'],
  ['MS_PRIVATE', 'MS_REC'],
  ['MS_UNBINDABLE'],
  ['MS_UNBINDABLE', 'MS_REC'],
  ['MS_SHARED', 'MS_SLAVE'],
];
const MAKE_SHARED_FLAG_SETS: readonly (readonly MountFlag[])[] = [['MS_SHARED'], ['MS_SHARED', 'MS_REC']];
/** mount_setattr's propagation argument: mostly none, then shared first. */
const PROPAGATION_TYPES_OR_NONE: readonly (PropagationType | null)[] = [
  null,
  null,
  null,
  'MS_SHARED',
  'MS_SHARED',
  'MS_SLAVE',
  'MS_PRIVATE',
  'MS_UNBINDABLE',
];
const PER_MOUNT_FLAGS: readonly MountFlag[] = ['MS_RDONLY', 'MS_NOSUID', 'MS_NODEV', 'MS_NOEXEC'];
const NEW_MOUNT_FLAG_SETS: readonly (readonly MountFlag[])[] = [[], [], [], [], ['MS_RDONLY'], ['MS_NOSUID', 'MS_NODEV'], ['MS_NOEXEC']];
const OPEN_TREE_FLAG_SETS = [
  ['OPEN_TREE_CLONE'],
  ['OPEN_TREE_CLONE'],
  ['OPEN_TREE_CLONE'],
  ['OPEN_TREE_CLONE', 'AT_RECURSIVE'],
  ['OPEN_TREE_CLONE', 'AT_RECURSIVE'],
  ['OPEN_TREE_CLONE', 'AT_RECURSIVE'],
  ['OPEN_TREE_CLONE', 'AT_RECURSIVE'],
  [],
  ['AT_RECURSIVE'],
] as const;

/** Mostly none, sometimes a few: per-mount attributes to set or clear. */
const mountAttrs: fc.Arbitrary<readonly MountAttr[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.subarray([...MOUNT_ATTRS]) },
);
/** A dirfd argument, either AT_FDCWD with a path or one of the actor's fds with "" and AT_EMPTY_PATH. */
const viaFd = fc.record({ dfd: pick as fc.Arbitrary<DirfdPick>, path: fc.constant(''), emptyPath: fc.constant(true) });
/** Now and then a path relative to one of the actor's fds, which path_init() needs to be a directory. */
const belowFd = fc.record({ dfd: pick as fc.Arbitrary<DirfdPick>, path: from(RELATIVE), emptyPath: fc.constant(false) });
const atPath = (path: fc.Arbitrary<PathTemplate>, fdWeight: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ dfd: fc.constant<DirfdPick>('AT_FDCWD'), path, emptyPath: fc.constant(false) }) },
    { weight: 2 * fdWeight, arbitrary: viaFd },
    { weight: 1, arbitrary: belowFd },
  );

const event = (weight: number, arbitrary: fc.Arbitrary<CommandEvent>) => ({ weight, arbitrary });
const mountEvent = (
  source: fc.Arbitrary<PathTemplate | null>,
  target: fc.Arbitrary<PathTemplate>,
  fstype: string | null,
  flags: fc.Arbitrary<readonly MountFlag[]>,
) => fc.record({ type: fc.constant('mount' as const), source, target, fstype: fc.constant(fstype), flags });

const ODD_MOUNTS: readonly (readonly [PathTemplate | null, PathTemplate, string | null, readonly MountFlag[]])[] = [
  ['none', '/mnt', null, []],
  ['none', '/mnt', '', []],
  ['none', '/mnt', 'nofs', []],
  [null, '/mnt', null, ['MS_BIND']],
  [null, '/mnt', null, ['MS_MOVE']],
  ['proc', '/proc', 'proc', []],
];
const oddMount = from(ODD_MOUNTS).map(([source, target, fstype, flags]) => ({ type: 'mount' as const, source, target, fstype, flags }));

const remount = fc
  .tuple(fc.boolean(), fc.subarray([...PER_MOUNT_FLAGS]))
  .map(([bind, flags]): readonly MountFlag[] => (bind ? ['MS_REMOUNT', 'MS_BIND', ...flags] : ['MS_REMOUNT', ...flags]));

const openTree = fc.tuple(atPath(treeSource, 1), from(OPEN_TREE_FLAG_SETS)).map(([where, flags]) => ({
  type: 'open_tree' as const,
  dfd: where.dfd,
  path: where.path,
  flags: where.emptyPath ? [...flags, 'AT_EMPTY_PATH' as const] : flags,
}));

/** move_mount(2) mostly from a detached tree's fd to a path, sometimes between paths or onto an fd. */
const moveMount = fc
  .tuple(atPath(directory, 6), atPath(moveTarget, 1), fc.constantFrom(false, false, false, true))
  .map(([source, target, beneath]) => ({
    type: 'move_mount' as const,
    from_dfd: source.dfd,
    from_path: source.path,
    to_dfd: target.dfd,
    to_path: target.path,
    flags: [
      ...(source.emptyPath ? ['MOVE_MOUNT_F_EMPTY_PATH' as const] : []),
      ...(target.emptyPath ? ['MOVE_MOUNT_T_EMPTY_PATH' as const] : []),
      ...(beneath ? ['MOVE_MOUNT_BENEATH' as const] : []),
    ],
  }));

const mountSetattr = fc
  .tuple(atPath(mountRoot, 2), fc.boolean(), mountAttrs, mountAttrs, from(PROPAGATION_TYPES_OR_NONE))
  .map(([where, recursive, attrSet, attrClr, propagation]) => ({
    type: 'mount_setattr' as const,
    dfd: where.dfd,
    path: where.path,
    flags: [...(where.emptyPath ? ['AT_EMPTY_PATH' as const] : []), ...(recursive ? ['AT_RECURSIVE' as const] : [])],
    attr_set: attrSet,
    attr_clr: attrClr,
    propagation,
  }));

const pivotRoot = fc
  .oneof(
    { weight: 5, arbitrary: from(PIVOT_ROOTS) },
    { weight: 1, arbitrary: fc.tuple(directory, directory) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(from(NSFS_FILES), oddPath), directory) },
  )
  .map(([newRoot, putOld]) => ({ type: 'pivot_root' as const, new_root: newRoot, put_old: putOld }));

export const commandEvent: fc.Arbitrary<CommandEvent> = fc.oneof(
  event(WEIGHTS.mkdir, fc.record({ type: fc.constant('mkdir' as const), path: mkdirPlace })),
  event(WEIGHTS.mknod, fc.record({ type: fc.constant('mknod' as const), path: fc.oneof({ weight: 6, arbitrary: file }, { weight: ODD_PATH_WEIGHT, arbitrary: oddPath }) })),
  event(WEIGHTS.mountTmpfs, mountEvent(fc.constant('none'), tmpfsTarget, 'tmpfs', from(NEW_MOUNT_FLAG_SETS))),
  event(WEIGHTS.bind, mountEvent(fc.oneof(directory, file), fc.oneof(mountPlace, file), null, fc.constant(['MS_BIND' as const]))),
  event(WEIGHTS.bindNsfs, mountEvent(from(NSFS_FILES), from(NSFS_TARGETS), null, fc.constant(['MS_BIND' as const]))),
  event(WEIGHTS.rbind, mountEvent(directory, directory, null, fc.constant(['MS_BIND' as const, 'MS_REC' as const]))),
  event(WEIGHTS.makeShared, mountEvent(fc.constant(null), sharedRoot, null, from(MAKE_SHARED_FLAG_SETS))),
  event(WEIGHTS.propagation, mountEvent(fc.constant(null), mountRoot, null, from(PROPAGATION_FLAG_SETS))),
  event(WEIGHTS.move, mountEvent(moveSource, moveTarget, null, fc.constant(['MS_MOVE' as const]))),
  event(WEIGHTS.remount, mountEvent(fc.constant(null), mountRoot, null, remount)),
  event(
    WEIGHTS.umount,
    fc.record({ type: fc.constant('umount2' as const), target: umountTarget, flags: from(UMOUNT_FLAG_SETS) }),
  ),
  event(WEIGHTS.clone, fc.record({ type: fc.constant('clone' as const), flags: from(CLONE_FLAG_SETS) })),
  event(WEIGHTS.cloneUserns, fc.record({ type: fc.constant('clone' as const), flags: from(USERNS_CLONE_FLAG_SETS) })),
  event(WEIGHTS.unshare, fc.record({ type: fc.constant('unshare' as const), flags: from(CLONE_FLAG_SETS) })),
  event(WEIGHTS.unshareUserns, fc.record({ type: fc.constant('unshare' as const), flags: from(USERNS_CLONE_FLAG_SETS) })),
  event(
    WEIGHTS.setns,
    fc.record({
      type: fc.constant('setns' as const),
      fd: pick,
      nstype: fc.constantFrom('0' as const, 'CLONE_NEWNS' as const, '0' as const, 'CLONE_NEWNET' as const),
    }),
  ),
  event(WEIGHTS.exit, fc.record({ type: fc.constant('exit' as const) })),
  event(
    WEIGHTS.open,
    fc.record({
      type: fc.constant('open' as const),
      path: anyPath,
      flags: fc.constantFrom(
        [],
        ['O_PATH' as const],
        ['O_DIRECTORY' as const],
        ['O_PATH' as const, 'O_DIRECTORY' as const],
        [],
        ['O_PATH' as const],
        ['O_NOFOLLOW' as const],
        ['O_PATH' as const, 'O_NOFOLLOW' as const],
      ),
    }),
  ),
  event(WEIGHTS.close, fc.record({ type: fc.constant('close' as const), fd: pick })),
  event(WEIGHTS.dup, fc.record({ type: fc.constant('dup' as const), fd: pick })),
  event(WEIGHTS.chdir, fc.record({ type: fc.constant('chdir' as const), path: chdirPlace })),
  event(WEIGHTS.fchdir, fc.record({ type: fc.constant('fchdir' as const), fd: pick })),
  event(WEIGHTS.chroot, fc.record({ type: fc.constant('chroot' as const), path: chdirPlace })),
  event(WEIGHTS.rmdir, fc.record({ type: fc.constant('rmdir' as const), path: rmdirPlace })),
  event(WEIGHTS.unlink, fc.record({ type: fc.constant('unlink' as const), path: unlinkPath })),
  event(WEIGHTS.socketpair, fc.record({ type: fc.constant('socketpair' as const) })),
  event(
    WEIGHTS.sendmsg,
    fc.record({
      type: fc.constant('sendmsg' as const),
      fd: pick,
      fds: fc.oneof({ weight: 20, arbitrary: fc.array(pick, { minLength: 1, maxLength: 2 }) }, { weight: TOO_MANY_FDS_WEIGHT, arbitrary: fc.constant(Array.from({ length: 254 }, () => 0)) }),
    }),
  ),
  event(WEIGHTS.recvmsg, fc.record({ type: fc.constant('recvmsg' as const), fd: pick })),
  event(
    WEIGHTS.capset,
    fc.record({
      type: fc.constant('capset' as const),
      effective: fc.constantFrom([], ['CAP_SYS_CHROOT' as const], ['CAP_SYS_ADMIN' as const]),
    }),
  ),
  event(WEIGHTS.pivotRoot, pivotRoot),
  event(WEIGHTS.openTree, openTree),
  event(WEIGHTS.moveMount, moveMount),
  event(WEIGHTS.fsopen, fc.record({ type: fc.constant('fsopen' as const), fsname: fc.constantFrom('tmpfs', 'tmpfs', 'tmpfs', 'tmpfs', 'nofs') })),
  event(
    WEIGHTS.fsconfig,
    fc.record({ type: fc.constant('fsconfig' as const), fd: pick, cmd: fc.constant('FSCONFIG_CMD_CREATE' as const) }),
  ),
  event(WEIGHTS.fsmount, fc.record({ type: fc.constant('fsmount' as const), fd: pick, attr: mountAttrs })),
  event(WEIGHTS.mountSetattr, mountSetattr),
  event(WEIGHTS.oddMount, oddMount),
);

export const command: fc.Arbitrary<Command> = fc.record({ actor: pick, event: commandEvent });

/** How often an element of a generated sequence is a whole scenario (scenarios.ts) rather than one command. */
export const SCENARIO_WEIGHTS = { command: 60, scenario: 1 } as const;

/**
 * Sequences of up to `maxLength` commands: single commands, now and then a scenario's steps, cut to
 * `maxLength`. Shrinking removes single commands and scenario steps one at a time.
 */
export function commands(maxLength: number = MAX_COMMANDS): fc.Arbitrary<Command[]> {
  const element = fc.oneof(
    { weight: SCENARIO_WEIGHTS.command, arbitrary: command.map((single) => [single]) },
    { weight: SCENARIO_WEIGHTS.scenario, arbitrary: scenario },
  );
  return fc
    .array(element, { minLength: 1, maxLength, size: 'max' })
    .map((elements) => elements.flat().slice(0, maxLength))
    .filter((sequence) => sequence.length > 0);
}
