// Deliberate deviations: kernel behaviour the model (or the oracle's sandbox) chooses not to
// follow, each with its reason. A step that differs where a deviation applies is reported with the
// deviation on its own line; it is never silenced, and it does not count as an unexplained
// disagreement.
import type { Event } from '../model/index.js';

export interface Deviation {
  readonly name: string;
  readonly reason: string;
  /** Whether the deviation can explain a difference at the last of these events. */
  readonly applies: (events: readonly Event[]) => boolean;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    name: 'pid-namespace-init-exit',
    reason:
      'task 1 is the init of the sandbox pid namespace, so its exit kills every other task (kernel/pid_namespace.c: zap_pid_ns_processes()); the model has no pid namespaces and keeps them',
    applies: (events) => events.some((event) => event.type === 'exit' && event.task === 1),
  },
  {
    name: 'user-namespace-map-on-read-only-proc',
    reason:
      'the harness maps each user namespace to its creator through /proc/<pid>/uid_map; once the trace remounts procfs read-only (its superblock, shared with the harness) the maps cannot be written, the namespace stays unmapped and its owner may create no further user namespace or file',
    applies: (events) => {
      const readOnly = events.findIndex((event) => event.type === 'mount' && event.flags.includes('MS_REMOUNT') && event.flags.includes('MS_RDONLY') && !event.flags.includes('MS_BIND'));
      return readOnly >= 0 && events.slice(readOnly).some((event) => (event.type === 'clone' || event.type === 'unshare') && event.flags.includes('CLONE_NEWUSER'));
    },
  },
  {
    name: 'unix-gc-runs-at-once',
    reason:
      'the model runs unix_gc() at the close that leaves a cycle of in-flight sockets, so their peers see the end at once; the kernel queues the collection (net/unix/garbage.c: unix_schedule_gc() -> a work item), so a recvmsg right after the close may still find the peer alive (EAGAIN instead of 0)',
    applies: (events) => {
      const last = events[events.length - 1];
      if (last?.type !== 'recvmsg') return false;
      const sent = events.findIndex((event) => event.type === 'sendmsg' && event.fds.length > 0);
      return sent >= 0 && events.slice(sent).some((event) => event.type === 'close' || event.type === 'exit');
    },
  },
];

/** The deviations that apply at the last event of the list. */
export function deviationsAt(events: readonly Event[]): readonly Deviation[] {
  return DEVIATIONS.filter((deviation) => deviation.applies(events));
}
