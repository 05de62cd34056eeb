// Deliberate deviations: kernel behaviour the model (or the oracle's sandbox) chooses not to
// follow, each with its reason. A step that differs where a deviation applies is reported with the
// deviation on its own line; it is never silenced, and it does not count as an unexplained
// disagreement.
import type { Event } from '../model/index.js';
import { initialState, step } from '../model/index.js';

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
      'the harness maps each user namespace to its creator through /proc/<pid>/uid_map (the supervisor\'s, or the task\'s own /proc/self for a nested one); once the trace makes procfs read-only (its superblock, shared with the harness, or the task\'s procfs mount) the maps cannot be written, the namespace stays unmapped and its owner may create no further user namespace or file',
    applies: (events) => {
      // a read-only superblock (MS_REMOUNT|MS_RDONLY), or a read-only mount (MS_REMOUNT|MS_BIND|MS_RDONLY, mount_setattr), which
      // stops the task's own write of its maps through /proc/self
      const readOnly = events.findIndex(
        (event) =>
          (event.type === 'mount' && event.flags.includes('MS_REMOUNT') && event.flags.includes('MS_RDONLY')) ||
          (event.type === 'mount_setattr' && event.attr_set.includes('MOUNT_ATTR_RDONLY')),
      );
      return readOnly >= 0 && events.slice(readOnly).some((event) => (event.type === 'clone' || event.type === 'unshare') && event.flags.includes('CLONE_NEWUSER'));
    },
  },
  {
    name: 'unix-gc-runs-at-once',
    reason:
      'the model runs unix_gc() at the close that leaves a cycle of in-flight sockets, so their peers see the end at once; the kernel queues the collection (net/unix/garbage.c: unix_schedule_gc() -> a work item), so a recvmsg or sendmsg right after the close may still find the peer alive (EAGAIN instead of 0, success instead of EPIPE)',
    applies: (events) => {
      const last = events[events.length - 1];
      if (last?.type !== 'recvmsg' && last?.type !== 'sendmsg') return false;
      const sent = events.findIndex((event) => event.type === 'sendmsg' && event.fds.length > 0);
      return sent >= 0 && events.slice(sent).some((event) => event.type === 'close' || event.type === 'exit');
    },
  },
  {
    name: 'pseudo-filesystem-paths',
    reason:
      "the path of a socket or an fs_context file (/proc/<pid>/fd/N, or the fd as a dirfd) is a dentry on the kernel's internal sockfs or anon_inode mount, in no namespace; the model does not model those mounts and fails such a lookup (ENXIO, or EINVAL for a dirfd), where each syscall's own checks give the kernel's answer (EINVAL from check_mnt, ENOTDIR, or an O_PATH open that succeeds); from that step on model and kernel may hold different fds",
    applies: (events) => pseudoPathStep(events),
  },
  {
    name: 'proc-pid-entries-not-modelled',
    reason:
      'of the entries of /proc/<pid> the model keeps root, cwd, ns (with ns/mnt only) and fd; the kernel has many more (status, ns/user, ns/net, ...), so a name the model lacks is ENOENT in the model and an existing entry (EEXIST, ...) on the kernel; an open of one gives the kernel an fd the model lacks, so from that step on the fd numbers may differ',
    applies: (events) =>
      pathsOf(events[events.length - 1]).some(isUnmodelledProcEntry) || events.some((event) => event.type === 'open' && isUnmodelledProcEntry(event.path)),
  },
  {
    name: 'procfs-dentries-not-modelled',
    reason:
      "the model has no dentries for the directories below /proc (/proc/<pid>, /proc/<pid>/ns) nor inodes for its magic links, and fails a syscall that would use one as a path of its own (chdir, chroot, pivot_root, open_tree, mount_setattr, mount on it, or an O_PATH|O_NOFOLLOW open of the link itself) with ENOENT; the kernel goes on with that syscall's own checks (success, EPERM, ...), and from that step on model and kernel may hold different fds, roots and cwds",
    applies: (events) => modelRefusedAt(events, PROCFS_DENTRY_CHECKS),
  },
  {
    name: 'machine-rootfs-below-the-sandbox',
    reason:
      "the harness's sandbox root is a tmpfs on the machine's own rootfs, which is the namespace's root mount; once a trace detaches the task's root (umount2 of \"/\" with MNT_DETACH), a setns or chroot reaches that rootfs as the machine mounted it (its flags, e.g. nosuid, are the machine's), where the model's boot rootfs has no flags",
    applies: (events) => events.some((event) => event.type === 'umount2' && event.flags.includes('MNT_DETACH') && /^\/(\.{1,2})?$/.test(event.target)),
  },
  {
    name: 'harness-standard-fds',
    reason:
      "the harness's tasks keep fds 0, 1 and 2 open (its standard streams); the model's fd tables start empty, so fds 0-2 name nothing in the model",
    applies: (events) => {
      const last = events[events.length - 1];
      return pathsOf(last).some((path) => /^\/proc\/(self|\d+)\/fd\/[012](\/|$)/.test(path)) || fdsOf(last).some((fd) => fd <= 2);
    },
  },
];

/** A path through an entry of /proc/<pid> the model does not keep. */
function isUnmodelledProcEntry(path: string): boolean {
  return /^\/proc\/(self|\d+)\/((?!(root|cwd|ns|fd)(\/|$))[^/]+|ns\/(?!mnt(\/|$))[^/]+)/.test(path);
}

/** The path arguments of an event. */
function pathsOf(event: Event | undefined): string[] {
  if (event === undefined) return [];
  return Object.values(event).filter((value): value is string => typeof value === 'string' && value.startsWith('/'));
}

/** The fd arguments of an event (fd, dirfds, fds passed). */
function fdsOf(event: Event | undefined): number[] {
  if (event === undefined) return [];
  return Object.entries(event).flatMap(([key, value]) =>
    key === 'task' ? [] : typeof value === 'number' ? [value] : Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [],
  );
}

/** The checks with which the model refuses a path on sockfs or anon_inode (model/internal/namei.ts). */
const PSEUDO_PATH_CHECKS: ReadonlySet<string> = new Set([
  'proc_fd_link: sockfs paths are not modelled',
  'proc_fd_link: anon_inode paths are not modelled',
  'model: sockets and fs_context files are on internal pseudo mounts',
]);

/** The checks with which the model refuses a path below /proc it keeps no dentry for (model/syscalls/*.ts). */
const PROCFS_DENTRY_CHECKS: ReadonlySet<string> = new Set([
  'model: procfs directories below /proc are not modelled',
  'model: O_PATH files on a /proc magic link are not modelled',
]);

/** Whether the model refused a sockfs or anon_inode path at one of the events. */
function pseudoPathStep(events: readonly Event[]): boolean {
  return modelRefusedAt(events, PSEUDO_PATH_CHECKS);
}

/** Whether the model, replaying the events, failed one of them with one of these checks. */
function modelRefusedAt(events: readonly Event[], checks: ReadonlySet<string>): boolean {
  for (const check of failedChecks(events)) if (checks.has(check)) return true;
  return false;
}

/** The checks the model failed the events with, replayed once per list however many deviations ask. */
const failedChecksOf = new WeakMap<readonly Event[], ReadonlySet<string>>();
function failedChecks(events: readonly Event[]): ReadonlySet<string> {
  const known = failedChecksOf.get(events);
  if (known !== undefined) return known;
  const failed = new Set<string>();
  let state = initialState();
  for (const event of events) {
    const outcome = step(state, event, {}, false);
    if (!outcome.result.ok) failed.add(outcome.result.check);
    state = outcome.state;
  }
  failedChecksOf.set(events, failed);
  return failed;
}

/** The deviations that apply at the last event of the list. */
export function deviationsAt(events: readonly Event[]): readonly Deviation[] {
  return DEVIATIONS.filter((deviation) => deviation.applies(events));
}
