// Events are syscalls, spelled as the syscall, each naming its acting task. Flags are arrays of
// named literals, never bitmasks, so a trace reads like strace. fd and pid arguments are concrete
// numbers; the reducer is total, so an event naming a dead task or a closed fd gets ESRCH or
// EBADF rather than throwing.
import type { Fd, TaskId } from './ids.js';

export const CLONE_FLAGS = ['CLONE_NEWNS', 'CLONE_NEWUSER', 'CLONE_FS', 'CLONE_FILES'] as const;
export type CloneFlag = (typeof CLONE_FLAGS)[number];

export const OPEN_FLAGS = ['O_PATH', 'O_DIRECTORY', 'O_NOFOLLOW'] as const;
export type OpenFlag = (typeof OPEN_FLAGS)[number];

export const MOUNT_FLAGS = [
  'MS_RDONLY',
  'MS_NOSUID',
  'MS_NODEV',
  'MS_NOEXEC',
  'MS_REMOUNT',
  'MS_BIND',
  'MS_MOVE',
  'MS_REC',
  'MS_UNBINDABLE',
  'MS_PRIVATE',
  'MS_SLAVE',
  'MS_SHARED',
] as const;
export type MountFlag = (typeof MOUNT_FLAGS)[number];

/** The propagation types, as mount(2) and mount_setattr(2) spell them. */
export const PROPAGATION_TYPES = ['MS_SHARED', 'MS_PRIVATE', 'MS_SLAVE', 'MS_UNBINDABLE'] as const;
export type PropagationType = (typeof PROPAGATION_TYPES)[number];

/** A directory file descriptor argument: an fd, or AT_FDCWD for the caller's cwd. */
export type Dirfd = Fd | 'AT_FDCWD';

export const OPEN_TREE_FLAGS = ['OPEN_TREE_CLONE', 'AT_RECURSIVE', 'AT_EMPTY_PATH'] as const;
export type OpenTreeFlag = (typeof OPEN_TREE_FLAGS)[number];

export const MOVE_MOUNT_FLAGS = ['MOVE_MOUNT_F_EMPTY_PATH', 'MOVE_MOUNT_T_EMPTY_PATH', 'MOVE_MOUNT_BENEATH'] as const;
export type MoveMountFlag = (typeof MOVE_MOUNT_FLAGS)[number];

/** The MOUNT_ATTR_* bits of fsmount(2) and mount_setattr(2) that the model tracks. */
export const MOUNT_ATTRS = ['MOUNT_ATTR_RDONLY', 'MOUNT_ATTR_NOSUID', 'MOUNT_ATTR_NODEV', 'MOUNT_ATTR_NOEXEC'] as const;
export type MountAttr = (typeof MOUNT_ATTRS)[number];

export const MOUNT_SETATTR_FLAGS = ['AT_EMPTY_PATH', 'AT_RECURSIVE'] as const;
export type MountSetattrFlag = (typeof MOUNT_SETATTR_FLAGS)[number];

export const UMOUNT_FLAGS = ['MNT_FORCE', 'MNT_DETACH', 'MNT_EXPIRE', 'UMOUNT_NOFOLLOW'] as const;
export type UmountFlag = (typeof UMOUNT_FLAGS)[number];

export const SETNS_TYPES = ['0', 'CLONE_NEWNS', 'CLONE_NEWNET'] as const;
export type SetnsType = (typeof SETNS_TYPES)[number];

export const CAPABILITIES = ['CAP_SYS_ADMIN', 'CAP_SYS_CHROOT'] as const;
export type Capability = (typeof CAPABILITIES)[number];

interface Acting {
  readonly task: TaskId;
}

/** clone(2) without CLONE_THREAD: a new task; returns its pid. */
export interface CloneEvent extends Acting {
  readonly type: 'clone';
  readonly flags: readonly CloneFlag[];
}
/** unshare(2). */
export interface UnshareEvent extends Acting {
  readonly type: 'unshare';
  readonly flags: readonly CloneFlag[];
}
/** setns(2) with a namespace fd. */
export interface SetnsEvent extends Acting {
  readonly type: 'setns';
  readonly fd: Fd;
  readonly nstype: SetnsType;
}
/** exit(2) of the task (and its reaping). */
export interface ExitEvent extends Acting {
  readonly type: 'exit';
}
/** capset(2) lowering the task's effective capabilities to the given set. */
export interface CapsetEvent extends Acting {
  readonly type: 'capset';
  readonly effective: readonly Capability[];
}
export interface MkdirEvent extends Acting {
  readonly type: 'mkdir';
  readonly path: string;
}
export interface RmdirEvent extends Acting {
  readonly type: 'rmdir';
  readonly path: string;
}
/** mknod(2) with S_IFREG: creates an empty regular file. */
export interface MknodEvent extends Acting {
  readonly type: 'mknod';
  readonly path: string;
}
export interface UnlinkEvent extends Acting {
  readonly type: 'unlink';
  readonly path: string;
}
/** open(2) read-only (or O_PATH); returns the new fd. */
export interface OpenEvent extends Acting {
  readonly type: 'open';
  readonly path: string;
  readonly flags: readonly OpenFlag[];
}
export interface CloseEvent extends Acting {
  readonly type: 'close';
  readonly fd: Fd;
}
export interface DupEvent extends Acting {
  readonly type: 'dup';
  readonly fd: Fd;
}
export interface ChdirEvent extends Acting {
  readonly type: 'chdir';
  readonly path: string;
}
export interface FchdirEvent extends Acting {
  readonly type: 'fchdir';
  readonly fd: Fd;
}
export interface ChrootEvent extends Acting {
  readonly type: 'chroot';
  readonly path: string;
}
/**
 * mount(2): a new filesystem (source and fstype given), a bind (MS_BIND, MS_BIND|MS_REC), a move
 * (MS_MOVE), a remount (MS_REMOUNT, MS_REMOUNT|MS_BIND) or a propagation change (MS_SHARED, ...).
 */
export interface MountEvent extends Acting {
  readonly type: 'mount';
  readonly source: string | null;
  readonly target: string;
  readonly fstype: string | null;
  readonly flags: readonly MountFlag[];
}
export interface Umount2Event extends Acting {
  readonly type: 'umount2';
  readonly target: string;
  readonly flags: readonly UmountFlag[];
}
/** socketpair(AF_UNIX, SOCK_STREAM, 0); returns the two fds. */
export interface SocketpairEvent extends Acting {
  readonly type: 'socketpair';
}
/** sendmsg(2) of one byte with SCM_RIGHTS carrying the given fds (MSG_NOSIGNAL). */
export interface SendmsgEvent extends Acting {
  readonly type: 'sendmsg';
  readonly fd: Fd;
  readonly fds: readonly Fd[];
}
/** recvmsg(2) of one byte (MSG_DONTWAIT), installing the fds that came with it. */
export interface RecvmsgEvent extends Acting {
  readonly type: 'recvmsg';
  readonly fd: Fd;
}

/** pivot_root(2). */
export interface PivotRootEvent extends Acting {
  readonly type: 'pivot_root';
  readonly new_root: string;
  readonly put_old: string;
}
/** open_tree(2): an O_PATH fd on a mount, or (OPEN_TREE_CLONE) on a detached copy of it. */
export interface OpenTreeEvent extends Acting {
  readonly type: 'open_tree';
  readonly dfd: Dirfd;
  readonly path: string;
  readonly flags: readonly OpenTreeFlag[];
}
/** move_mount(2). */
export interface MoveMountEvent extends Acting {
  readonly type: 'move_mount';
  readonly from_dfd: Dirfd;
  readonly from_path: string;
  readonly to_dfd: Dirfd;
  readonly to_path: string;
  readonly flags: readonly MoveMountFlag[];
}
/** fsopen(2): a filesystem context fd for a filesystem type. */
export interface FsopenEvent extends Acting {
  readonly type: 'fsopen';
  readonly fsname: string;
}
/** fsconfig(2) with FSCONFIG_CMD_CREATE: create the superblock of the context. */
export interface FsconfigEvent extends Acting {
  readonly type: 'fsconfig';
  readonly fd: Fd;
  readonly cmd: 'FSCONFIG_CMD_CREATE';
}
/** fsmount(2): a detached mount of the context's superblock; returns an O_PATH fd on it. */
export interface FsmountEvent extends Acting {
  readonly type: 'fsmount';
  readonly fd: Fd;
  readonly attr: readonly MountAttr[];
}
/** mount_setattr(2). */
export interface MountSetattrEvent extends Acting {
  readonly type: 'mount_setattr';
  readonly dfd: Dirfd;
  readonly path: string;
  readonly flags: readonly MountSetattrFlag[];
  readonly attr_set: readonly MountAttr[];
  readonly attr_clr: readonly MountAttr[];
  readonly propagation: PropagationType | null;
}

export type Event =
  | CloneEvent
  | UnshareEvent
  | SetnsEvent
  | ExitEvent
  | CapsetEvent
  | MkdirEvent
  | RmdirEvent
  | MknodEvent
  | UnlinkEvent
  | OpenEvent
  | CloseEvent
  | DupEvent
  | ChdirEvent
  | FchdirEvent
  | ChrootEvent
  | MountEvent
  | Umount2Event
  | SocketpairEvent
  | SendmsgEvent
  | RecvmsgEvent
  | PivotRootEvent
  | OpenTreeEvent
  | MoveMountEvent
  | FsopenEvent
  | FsconfigEvent
  | FsmountEvent
  | MountSetattrEvent;

export type EventType = Event['type'];

export const EVENT_TYPES: readonly EventType[] = [
  'clone',
  'unshare',
  'setns',
  'exit',
  'capset',
  'mkdir',
  'rmdir',
  'mknod',
  'unlink',
  'open',
  'close',
  'dup',
  'chdir',
  'fchdir',
  'chroot',
  'mount',
  'umount2',
  'socketpair',
  'sendmsg',
  'recvmsg',
  'pivot_root',
  'open_tree',
  'move_mount',
  'fsopen',
  'fsconfig',
  'fsmount',
  'mount_setattr',
];
