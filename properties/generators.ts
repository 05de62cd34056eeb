// fast-check arbitraries of whole command sequences. The vocabulary of paths is small on purpose,
// so that random sequences keep meeting the same directories: they stack and nest mounts, unmount
// what others still hold, and bind-mount each other's namespace files. Weights are named here.
import fc from 'fast-check';
import type { CloneFlag, UmountFlag } from '../model/index.js';
import type { Command, CommandEvent, PathTemplate } from './commands.js';

export const DIRECTORIES: readonly PathTemplate[] = ['/mnt/a', '/mnt/b', '/mnt/a/b', '/tmp/a', '/mnt', '/tmp', '/', '/tmp/..', '/mnt/a/..'];
export const RELATIVE: readonly PathTemplate[] = ['a', 'b', '..', '.', 'a/b'];
export const FILES: readonly PathTemplate[] = ['/mnt/f', '/mnt/f', '/tmp/f', '/tmp/f', '/mnt/a/f', 'f'];
export const NSFS_FILES: readonly PathTemplate[] = ['/proc/self/ns/mnt', '/proc/{other:0}/ns/mnt', '/proc/{other:1}/ns/mnt', '/proc/{pid:2}/ns/mnt'];
export const NSFS_TARGETS: readonly PathTemplate[] = ['/mnt/f', '/tmp/f'];
export const MAGIC_LINKS: readonly PathTemplate[] = ['/proc/{other:0}/root/mnt/a', '/proc/{other:0}/cwd', '/proc/self/fd/{fd:0}', '/proc/self/fd/{fd:1}'];

/** Relative weights of each kind of command in a generated sequence. */
export const WEIGHTS = {
  mkdir: 6,
  mknod: 4,
  mountTmpfs: 6,
  bind: 4,
  bindNsfs: 4,
  rbind: 2,
  umount: 7,
  clone: 6,
  unshare: 3,
  setns: 3,
  exit: 1,
  open: 6,
  close: 3,
  dup: 1,
  chdir: 3,
  fchdir: 2,
  chroot: 1,
  rmdir: 2,
  unlink: 1,
  socketpair: 3,
  sendmsg: 6,
  recvmsg: 6,
  capset: 1,
} as const;

/** How long generated sequences are. */
export const MAX_COMMANDS = 40;

const pick = fc.nat({ max: 7 });
const from = (paths: readonly PathTemplate[]) => fc.constantFrom(...paths);
const directory = fc.oneof(
  { weight: 6, arbitrary: from(DIRECTORIES) },
  { weight: 2, arbitrary: from(RELATIVE) },
  { weight: 1, arbitrary: from(MAGIC_LINKS) },
);
const file = from(FILES);
const anyPath = fc.oneof(
  { weight: 4, arbitrary: directory },
  { weight: 2, arbitrary: file },
  { weight: 2, arbitrary: from(NSFS_FILES) },
);

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

const event = (weight: number, arbitrary: fc.Arbitrary<CommandEvent>) => ({ weight, arbitrary });

export const commandEvent: fc.Arbitrary<CommandEvent> = fc.oneof(
  event(WEIGHTS.mkdir, fc.record({ type: fc.constant('mkdir' as const), path: directory })),
  event(WEIGHTS.mknod, fc.record({ type: fc.constant('mknod' as const), path: file })),
  event(
    WEIGHTS.mountTmpfs,
    fc.record({
      type: fc.constant('mount' as const),
      source: fc.constant('none'),
      target: directory,
      fstype: fc.constant('tmpfs'),
      flags: fc.constant([]),
    }),
  ),
  event(
    WEIGHTS.bind,
    fc.record({
      type: fc.constant('mount' as const),
      source: fc.oneof(directory, file),
      target: fc.oneof(directory, file),
      fstype: fc.constant(null),
      flags: fc.constant(['MS_BIND' as const]),
    }),
  ),
  event(
    WEIGHTS.bindNsfs,
    fc.record({
      type: fc.constant('mount' as const),
      source: from(NSFS_FILES),
      target: from(NSFS_TARGETS),
      fstype: fc.constant(null),
      flags: fc.constant(['MS_BIND' as const]),
    }),
  ),
  event(
    WEIGHTS.rbind,
    fc.record({
      type: fc.constant('mount' as const),
      source: directory,
      target: directory,
      fstype: fc.constant(null),
      flags: fc.constant(['MS_BIND' as const, 'MS_REC' as const]),
    }),
  ),
  event(
    WEIGHTS.umount,
    fc.record({ type: fc.constant('umount2' as const), target: anyPath, flags: fc.constantFrom(...UMOUNT_FLAG_SETS) }),
  ),
  event(WEIGHTS.clone, fc.record({ type: fc.constant('clone' as const), flags: fc.constantFrom(...CLONE_FLAG_SETS) })),
  event(WEIGHTS.unshare, fc.record({ type: fc.constant('unshare' as const), flags: fc.constantFrom(...CLONE_FLAG_SETS) })),
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
      flags: fc.constantFrom([], ['O_PATH' as const], ['O_DIRECTORY' as const], ['O_PATH' as const, 'O_DIRECTORY' as const]),
    }),
  ),
  event(WEIGHTS.close, fc.record({ type: fc.constant('close' as const), fd: pick })),
  event(WEIGHTS.dup, fc.record({ type: fc.constant('dup' as const), fd: pick })),
  event(WEIGHTS.chdir, fc.record({ type: fc.constant('chdir' as const), path: directory })),
  event(WEIGHTS.fchdir, fc.record({ type: fc.constant('fchdir' as const), fd: pick })),
  event(WEIGHTS.chroot, fc.record({ type: fc.constant('chroot' as const), path: directory })),
  event(WEIGHTS.rmdir, fc.record({ type: fc.constant('rmdir' as const), path: directory })),
  event(WEIGHTS.unlink, fc.record({ type: fc.constant('unlink' as const), path: file })),
  event(WEIGHTS.socketpair, fc.record({ type: fc.constant('socketpair' as const) })),
  event(
    WEIGHTS.sendmsg,
    fc.record({ type: fc.constant('sendmsg' as const), fd: pick, fds: fc.array(pick, { minLength: 1, maxLength: 2 }) }),
  ),
  event(WEIGHTS.recvmsg, fc.record({ type: fc.constant('recvmsg' as const), fd: pick })),
  event(
    WEIGHTS.capset,
    fc.record({
      type: fc.constant('capset' as const),
      effective: fc.constantFrom([], ['CAP_SYS_CHROOT' as const], ['CAP_SYS_ADMIN' as const]),
    }),
  ),
);

export const command: fc.Arbitrary<Command> = fc.record({ actor: pick, event: commandEvent });

export function commands(maxLength: number = MAX_COMMANDS): fc.Arbitrary<Command[]> {
  return fc.array(command, { minLength: 1, maxLength, size: 'max' });
}
