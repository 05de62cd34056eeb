// Commands are events with their arguments left abstract: which task acts, which of its fds, which
// task a /proc/<pid> path names are numbers resolved against the state when the command runs. A
// shrunk command list therefore always resolves to a valid trace: removing a command never leaves
// a later one naming a task or fd that does not exist (it names another one, or gets ESRCH/EBADF).
//
// An fd argument is picked among the actor's files of the kind that argument wants, where it has
// any, and among all its files otherwise (see FD_PREFERENCES): setns picks namespace files,
// fsconfig and fsmount filesystem contexts, move_mount's source a detached tree, a dirfd a
// directory, recvmsg a socket with messages waiting.
import type { Dirfd, Event, Fd, File, State, TaskId } from '../model/index.js';
import { fd as toFd, taskId } from '../model/index.js';

/** A number picking among the live tasks, or among the acting task's descriptors. */
export type Pick = number;

/** A dirfd argument: AT_FDCWD, or a number picking among the actor's descriptors. */
export type DirfdPick = 'AT_FDCWD' | Pick;

/**
 * A path, possibly with {pid:K} (a live task's pid), {other:K} (a live task other than the actor,
 * where there is one) and {fd:K} (one of the actor's fds).
 */
export type PathTemplate = string;

/** An event field with its fds left abstract (Dirfd distributes to 'AT_FDCWD' | Pick). */
type AbstractField<T> = T extends Fd ? Pick : T extends readonly Fd[] ? readonly Pick[] : T;

type Abstract<E> = E extends unknown ? { readonly [K in Exclude<keyof E, 'task'>]: AbstractField<E[K]> } : never;

export type CommandEvent = Abstract<Event>;

export interface Command {
  readonly actor: Pick;
  readonly event: CommandEvent;
}

/** What an fd argument can prefer, each a test of the file behind the fd. */
const FD_KINDS = {
  /** an AF_UNIX socket */
  socket: (_state, file) => file.kind === 'socket',
  /** a socket with messages waiting on its receive queue */
  socketWithData: (_state, file) => file.kind === 'socket' && file.receiveQueue.length > 0,
  /** a socket whose peer is still open */
  socketConnected: (_state, file) => file.kind === 'socket' && file.peer !== null,
  /** a file on a path (regular, O_PATH, nsfs, detached tree) */
  path: (_state, file) => file.kind === 'path',
  /** a file on a directory */
  dir: (state, file) => file.kind === 'path' && state.dentries[file.f_path.dentry]?.kind === 'dir',
  /** a file on a mount of a detached tree (open_tree(OPEN_TREE_CLONE), fsmount) */
  detached: (state, file) => {
    const ns = file.kind === 'path' ? state.mounts[file.f_path.mnt]?.mnt_ns : undefined;
    return ns !== undefined && ns !== null && state.mntNamespaces[ns]?.anon === true;
  },
  /** a namespace file that setns() can use (not O_PATH) */
  nsfs: (state, file) => file.kind === 'path' && !file.fmodePath && state.dentries[file.f_path.dentry]?.kind === 'nsfs',
  /** an fsopen() filesystem context */
  fscontext: (_state, file) => file.kind === 'fscontext',
  /** a filesystem context that FSCONFIG_CMD_CREATE has not run on */
  fscontextNew: (_state, file) => file.kind === 'fscontext' && file.phase === 'create-params',
  /** a filesystem context with a superblock, awaiting fsmount() */
  fscontextCreated: (_state, file) => file.kind === 'fscontext' && file.phase === 'awaiting-mount',
} as const satisfies Record<string, (state: State, file: File) => boolean>;

export type FdKind = keyof typeof FD_KINDS;

/** What each fd argument prefers, in order; the first kind the actor holds wins. */
export const FD_PREFERENCES = {
  setns: ['nsfs'],
  sendmsgSocket: ['socketConnected', 'socket'],
  recvmsgSocket: ['socketWithData', 'socket'],
  /** sendmsg's passed fds, by pick % 4: any file, a detached tree, or another file on a path. */
  passed: [[], ['detached', 'path'], ['detached', 'path'], ['path']],
  fsconfig: ['fscontextNew', 'fscontext'],
  fsmount: ['fscontextCreated', 'fscontext'],
  openTreeDirfd: ['dir'],
  moveMountFrom: ['detached', 'dir'],
  moveMountTo: ['dir'],
  mountSetattrDirfd: ['detached', 'dir'],
} as const satisfies Record<string, readonly FdKind[] | readonly (readonly FdKind[])[]>;

export function liveTasks(state: State): TaskId[] {
  return Object.values(state.tasks).map((task) => task.pid);
}

/** One of the actor's fds: among the first preferred kind it holds any of, else among all. */
function pickFd(state: State, pid: TaskId, pick: Pick, prefer: readonly FdKind[] = []): Fd {
  const task = state.tasks[pid];
  const fdt = (task === undefined ? undefined : state.filesStructs[task.files]?.fdt) ?? {};
  const open = Object.entries(fdt).map(([fd, file]) => ({ fd: toFd(Number(fd)), file: state.files[file] }));
  let choice = open;
  for (const kind of prefer) {
    const preferred = open.filter(({ file }) => file !== undefined && FD_KINDS[kind](state, file));
    if (preferred.length > 0) {
      choice = preferred;
      break;
    }
  }
  return choice[pick % choice.length]?.fd ?? toFd(3 + (pick % 4));
}

function pickDirfd(state: State, pid: TaskId, pick: DirfdPick, prefer: readonly FdKind[]): Dirfd {
  return pick === 'AT_FDCWD' ? pick : pickFd(state, pid, pick, prefer);
}

function resolvePath(state: State, pid: TaskId, template: PathTemplate): string {
  return template.replace(/\{(pid|other|fd):(\d+)\}/g, (_match, kind: string, digits: string) => {
    const pick = Number(digits);
    if (kind === 'pid' || kind === 'other') {
      const all = liveTasks(state);
      const others = all.filter((candidate) => candidate !== pid);
      const tasks = kind === 'other' && others.length > 0 ? others : all;
      return tasks.length === 0 ? String(pick + 1) : String(tasks[pick % tasks.length]);
    }
    return String(pickFd(state, pid, pick));
  });
}

/** The concrete event a command stands for in this state. */
export function resolveCommand(state: State, command: Command): Event {
  const tasks = liveTasks(state);
  const task = tasks.length === 0 ? taskId(1) : (tasks[command.actor % tasks.length] as TaskId);
  const event = command.event;
  const path = (template: PathTemplate): string => resolvePath(state, task, template);
  switch (event.type) {
    case 'setns':
      return { ...event, task, fd: pickFd(state, task, event.fd, FD_PREFERENCES.setns) };
    case 'close':
    case 'dup':
    case 'fchdir':
      return { ...event, task, fd: pickFd(state, task, event.fd) };
    case 'recvmsg':
      return { ...event, task, fd: pickFd(state, task, event.fd, FD_PREFERENCES.recvmsgSocket) };
    case 'sendmsg':
      return {
        ...event,
        task,
        fd: pickFd(state, task, event.fd, FD_PREFERENCES.sendmsgSocket),
        fds: event.fds.map((pick) => pickFd(state, task, pick, FD_PREFERENCES.passed[pick % 4])),
      };
    case 'fsconfig':
      return { ...event, task, fd: pickFd(state, task, event.fd, FD_PREFERENCES.fsconfig) };
    case 'fsmount':
      return { ...event, task, fd: pickFd(state, task, event.fd, FD_PREFERENCES.fsmount) };
    case 'mkdir':
    case 'rmdir':
    case 'mknod':
    case 'unlink':
    case 'open':
    case 'chdir':
    case 'chroot':
      return { ...event, task, path: path(event.path) };
    case 'mount':
      return { ...event, task, source: event.source === null ? null : path(event.source), target: path(event.target) };
    case 'umount2':
      return { ...event, task, target: path(event.target) };
    case 'pivot_root':
      return { ...event, task, new_root: path(event.new_root), put_old: path(event.put_old) };
    case 'open_tree':
      return { ...event, task, dfd: pickDirfd(state, task, event.dfd, FD_PREFERENCES.openTreeDirfd), path: path(event.path) };
    case 'move_mount':
      return {
        ...event,
        task,
        from_dfd: pickDirfd(state, task, event.from_dfd, FD_PREFERENCES.moveMountFrom),
        from_path: path(event.from_path),
        to_dfd: pickDirfd(state, task, event.to_dfd, FD_PREFERENCES.moveMountTo),
        to_path: path(event.to_path),
      };
    case 'mount_setattr':
      return { ...event, task, dfd: pickDirfd(state, task, event.dfd, FD_PREFERENCES.mountSetattrDirfd), path: path(event.path) };
    case 'clone':
    case 'unshare':
    case 'exit':
    case 'capset':
    case 'socketpair':
    case 'fsopen':
      return { ...event, task };
  }
}
