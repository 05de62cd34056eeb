// The references of a trace read from disk: every step must name a task that exists at that point
// and descriptors the task holds, unless the step records the failure that a missing one gives (a
// task that has gone records ESRCH; a closed descriptor records a failure of the call). The model
// would answer any such step (it is total), but in a trace a person wrote, a task that was never
// cloned or an fd that was never opened is a mistake to point at, not a behaviour to replay.
import type { Event, Fd, State } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import type { Trace } from './trace.js';
import { TraceError } from './trace.js';

/** The descriptors an event names (fd arguments, dirfds, passed fds). */
export function namedFds(event: Event): Fd[] {
  switch (event.type) {
    case 'setns':
    case 'close':
    case 'dup':
    case 'fchdir':
    case 'recvmsg':
    case 'fsconfig':
    case 'fsmount':
      return [event.fd];
    case 'sendmsg':
      return [event.fd, ...event.fds];
    case 'open_tree':
    case 'mount_setattr':
      return event.dfd === 'AT_FDCWD' ? [] : [event.dfd];
    case 'move_mount':
      return [event.from_dfd, event.to_dfd].filter((dfd): dfd is Fd => dfd !== 'AT_FDCWD');
    default:
      return [];
  }
}

/** The 1-based line of each step in the text of a trace (event lines of either format), where they can be found. */
export function stepLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (/^\s*(\[pid \d+\]|\{\s*"event")/.test(line)) lines.push(index + 1);
  });
  return lines;
}

/** Throws a TraceError naming `file:line` of the first step that names a missing task or fd. */
export function checkReferences(trace: Trace, file: string, text: string): void {
  const lines = stepLines(text);
  const model = trace.bug === null ? {} : { bug: trace.bug };
  let state: State = initialState();
  trace.steps.forEach((recorded, index) => {
    const event = recorded.event;
    const where = lines.length === trace.steps.length ? `${file}:${lines[index]}` : `${file}: step ${index + 1}`;
    const task = state.tasks[event.task];
    const live = Object.keys(state.tasks).join(', ') || 'none';
    if (task === undefined && !(recorded.result !== null && !recorded.result.ok && recorded.result.errno === 'ESRCH')) {
      throw new TraceError(`${where}: task ${event.task} does not exist at this step (live tasks: ${live}); name a live task, or record "= -1 ESRCH (...)"`);
    }
    if (task !== undefined && (recorded.result === null || recorded.result.ok)) {
      const fdt = state.filesStructs[task.files]?.fdt ?? {};
      const missing = namedFds(event).find((fd) => fdt[fd] === undefined);
      if (missing !== undefined) {
        const open = Object.keys(fdt).join(', ') || 'none';
        throw new TraceError(`${where}: fd ${missing} is not open in task ${event.task} at this step (open: ${open}); name an open fd, or record the call's failure`);
      }
    }
    state = step(state, event, model).state;
  });
}
