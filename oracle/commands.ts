// The harness's command for each model event: the syscall number (x86_64) and its arguments, with
// the event's named flags turned into the kernel's numbers. One line per event, tab-separated:
// `<task> <op> <arg>...`, each argument `i<number>`, `s<string>` or `n` (a NULL pointer); see the
// protocol at the top of oracle/harness.c.
import type { Dirfd, Event } from '../model/index.js';

// arch/x86/entry/syscalls/syscall_64.tbl
const SYS = {
  open: 2,
  close: 3,
  dup: 32,
  chdir: 80,
  fchdir: 81,
  mkdir: 83,
  rmdir: 84,
  unlink: 87,
  mknod: 133,
  pivot_root: 155,
  chroot: 161,
  mount: 165,
  umount2: 166,
  setns: 308,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
} as const;

// include/uapi/linux/sched.h, fcntl.h, mount.h, fs.h
const CLONE: Record<string, number> = { CLONE_NEWNS: 0x20000, CLONE_NEWUSER: 0x10000000, CLONE_FS: 0x200, CLONE_FILES: 0x400 };
const OPEN: Record<string, number> = { O_PATH: 0o10000000, O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000 };
const MS: Record<string, number> = {
  MS_RDONLY: 1,
  MS_NOSUID: 2,
  MS_NODEV: 4,
  MS_NOEXEC: 8,
  MS_REMOUNT: 32,
  MS_BIND: 4096,
  MS_MOVE: 8192,
  MS_REC: 16384,
  MS_UNBINDABLE: 1 << 17,
  MS_PRIVATE: 1 << 18,
  MS_SLAVE: 1 << 19,
  MS_SHARED: 1 << 20,
};
const UMOUNT: Record<string, number> = { MNT_FORCE: 1, MNT_DETACH: 2, MNT_EXPIRE: 4, UMOUNT_NOFOLLOW: 8 };
const SETNS: Record<string, number> = { '0': 0, CLONE_NEWNS: 0x20000, CLONE_NEWNET: 0x40000000 };
const OPEN_TREE: Record<string, number> = { OPEN_TREE_CLONE: 1, AT_RECURSIVE: 0x8000, AT_EMPTY_PATH: 0x1000 };
const MOVE_MOUNT: Record<string, number> = { MOVE_MOUNT_F_EMPTY_PATH: 0x4, MOVE_MOUNT_T_EMPTY_PATH: 0x40, MOVE_MOUNT_BENEATH: 0x200 };
const MOUNT_ATTR: Record<string, number> = { MOUNT_ATTR_RDONLY: 1, MOUNT_ATTR_NOSUID: 2, MOUNT_ATTR_NODEV: 4, MOUNT_ATTR_NOEXEC: 8 };
const SETATTR: Record<string, number> = { AT_EMPTY_PATH: 0x1000, AT_RECURSIVE: 0x8000 };
const AT_FDCWD = -100;
const S_IFREG_0644 = 0o100644;
const DIR_MODE = 0o755;
const FSCONFIG_CMD_CREATE = 6;

/** The bitwise or of named flags. */
export function bits(table: Readonly<Record<string, number>>, flags: readonly string[]): number {
  return flags.reduce((sum, flag) => {
    const value = table[flag];
    if (value === undefined) throw new Error(`oracle: no number for flag ${flag}`);
    return sum | value;
  }, 0);
}

type Arg = number | string | null;

function encode(value: Arg): string {
  if (value === null) return 'n';
  if (typeof value === 'number') return `i${value}`;
  if (/[\t\n]/.test(value)) throw new Error(`oracle: a path with a tab or newline cannot be sent: ${JSON.stringify(value)}`);
  return `s${value}`;
}

const dirfd = (fd: Dirfd): number => (fd === 'AT_FDCWD' ? AT_FDCWD : fd);

function line(task: number, op: string, args: readonly Arg[]): string {
  return [String(task), op, ...args.map(encode)].join('\t');
}

const sys = (task: number, nr: number, ...args: Arg[]): string => line(task, 'sys', [nr, ...args]);

/** The harness command line (without the newline) that performs the event. */
export function harnessCommand(event: Event): string {
  const task = event.task;
  switch (event.type) {
    case 'clone':
      return line(task, 'clone', [bits(CLONE, event.flags)]);
    case 'unshare':
      return line(task, 'unshare', [bits(CLONE, event.flags)]);
    case 'setns':
      return sys(task, SYS.setns, event.fd, bits(SETNS, [event.nstype]));
    case 'exit':
      return line(task, 'exit', []);
    case 'capset':
      return line(task, 'capset', [(event.effective.includes('CAP_SYS_ADMIN') ? 1 : 0) | (event.effective.includes('CAP_SYS_CHROOT') ? 2 : 0)]);
    case 'mkdir':
      return sys(task, SYS.mkdir, event.path, DIR_MODE);
    case 'rmdir':
      return sys(task, SYS.rmdir, event.path);
    case 'mknod':
      return sys(task, SYS.mknod, event.path, S_IFREG_0644, 0);
    case 'unlink':
      return sys(task, SYS.unlink, event.path);
    case 'open':
      return sys(task, SYS.open, event.path, bits(OPEN, event.flags));
    case 'close':
      return sys(task, SYS.close, event.fd);
    case 'dup':
      return sys(task, SYS.dup, event.fd);
    case 'chdir':
      return sys(task, SYS.chdir, event.path);
    case 'fchdir':
      return sys(task, SYS.fchdir, event.fd);
    case 'chroot':
      return sys(task, SYS.chroot, event.path);
    case 'mount':
      return sys(task, SYS.mount, event.source, event.target, event.fstype, bits(MS, event.flags), null);
    case 'umount2':
      return sys(task, SYS.umount2, event.target, bits(UMOUNT, event.flags));
    case 'socketpair':
      return line(task, 'socketpair', []);
    case 'sendmsg':
      return line(task, 'sendmsg', [event.fd, ...event.fds]);
    case 'recvmsg':
      return line(task, 'recvmsg', [event.fd]);
    case 'pivot_root':
      return sys(task, SYS.pivot_root, event.new_root, event.put_old);
    case 'open_tree':
      return sys(task, SYS.open_tree, dirfd(event.dfd), event.path, bits(OPEN_TREE, event.flags));
    case 'move_mount':
      return sys(task, SYS.move_mount, dirfd(event.from_dfd), event.from_path, dirfd(event.to_dfd), event.to_path, bits(MOVE_MOUNT, event.flags));
    case 'fsopen':
      return sys(task, SYS.fsopen, event.fsname, 0);
    case 'fsconfig':
      return sys(task, SYS.fsconfig, event.fd, FSCONFIG_CMD_CREATE, null, null, 0);
    case 'fsmount':
      return sys(task, SYS.fsmount, event.fd, 0, bits(MOUNT_ATTR, event.attr));
    case 'mount_setattr':
      return line(task, 'setattr', [
        dirfd(event.dfd),
        event.path,
        bits(SETATTR, event.flags),
        bits(MOUNT_ATTR, event.attr_set),
        bits(MOUNT_ATTR, event.attr_clr),
        event.propagation === null ? 0 : bits(MS, [event.propagation]),
      ]);
    default: {
      const unknown: never = event;
      throw new Error(`oracle: no harness command for ${JSON.stringify(unknown)}`);
    }
  }
}
