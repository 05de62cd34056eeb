// Commands are events with their arguments left abstract: which task acts, which of its fds, which
// task a /proc/<pid> path names are numbers resolved against the state when the command runs. A
// shrunk command list therefore always resolves to a valid trace: removing a command never leaves
// a later one naming a task or fd that does not exist (it names another one, or gets ESRCH/EBADF).
import type { Event, Fd, State, TaskId } from '../model/index.js';
import { fd as toFd, taskId } from '../model/index.js';

/** A number picking among the live tasks, or among the acting task's descriptors. */
export type Pick = number;

/**
 * A path, possibly with {pid:K} (a live task's pid), {other:K} (a live task other than the actor,
 * where there is one) and {fd:K} (one of the actor's fds).
 */
export type PathTemplate = string;

type Abstract<E> = E extends { readonly fd: Fd }
  ? Omit<E, 'task' | 'fd'> & { readonly fd: Pick }
  : Omit<E, 'task'>;

type WithFds<E> = E extends { readonly fds: readonly Fd[] } ? Omit<E, 'fds'> & { readonly fds: readonly Pick[] } : E;

export type CommandEvent = WithFds<Abstract<Event>>;

export interface Command {
  readonly actor: Pick;
  readonly event: CommandEvent;
}

export function liveTasks(state: State): TaskId[] {
  return Object.values(state.tasks).map((task) => task.pid);
}

function openFds(state: State, pid: TaskId): Fd[] {
  const task = state.tasks[pid];
  const table = task === undefined ? undefined : state.filesStructs[task.files];
  if (table === undefined) return [];
  return Object.keys(table.fdt).map((key) => toFd(Number(key)));
}

/** One of the actor's fds; `prefer` narrows the choice to sockets or to other files where it can. */
function pickFd(state: State, pid: TaskId, pick: Pick, prefer?: 'socket' | 'path'): Fd {
  let fds = openFds(state, pid);
  if (prefer !== undefined) {
    const table = state.filesStructs[state.tasks[pid]?.files ?? (-1 as never)];
    const preferred = fds.filter((fd) => state.files[table?.fdt[fd] ?? (-1 as never)]?.kind === prefer);
    if (preferred.length > 0) fds = preferred;
  }
  return fds.length === 0 ? toFd(3 + (pick % 4)) : (fds[pick % fds.length] as Fd);
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
  switch (event.type) {
    case 'setns':
    case 'close':
    case 'dup':
    case 'fchdir':
      return { ...event, task, fd: pickFd(state, task, event.fd) } as Event;
    // the socket argument is picked among the actor's sockets, where it has any
    case 'recvmsg':
      return { ...event, task, fd: pickFd(state, task, event.fd, 'socket') };
    case 'sendmsg':
      return {
        ...event,
        task,
        fd: pickFd(state, task, event.fd, 'socket'),
        fds: event.fds.map((pick) => pickFd(state, task, pick, pick % 4 === 0 ? undefined : 'path')),
      };
    case 'mkdir':
    case 'rmdir':
    case 'mknod':
    case 'unlink':
    case 'open':
    case 'chdir':
    case 'chroot':
      return { ...event, task, path: resolvePath(state, task, event.path) };
    case 'mount':
      return {
        ...event,
        task,
        source: event.source === null ? null : resolvePath(state, task, event.source),
        target: resolvePath(state, task, event.target),
      };
    case 'umount2':
      return { ...event, task, target: resolvePath(state, task, event.target) };
    default:
      return { ...event, task } as Event;
  }
}
