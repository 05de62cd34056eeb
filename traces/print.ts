// Printing events and results the way strace prints syscalls, so a trace reads like a log of the
// real calls: `[pid 1] mount("none", "/mnt/a", "tmpfs", 0) = 0`.
import type { Event, Result } from '../model/index.js';
import { assertNever } from '../model/internal/bug.js';

const quote = (text: string | null): string => (text === null ? 'NULL' : JSON.stringify(text));
const flagList = (flags: readonly string[], none = '0'): string => (flags.length === 0 ? none : flags.join('|'));

/** The call, without its result: `mount("none", "/mnt", "tmpfs", 0)`. */
export function formatCall(event: Event): string {
  switch (event.type) {
    case 'clone':
      return `clone(${flagList(event.flags, 'SIGCHLD')})`;
    case 'unshare':
      return `unshare(${flagList(event.flags)})`;
    case 'setns':
      return `setns(${event.fd}, ${event.nstype})`;
    case 'exit':
      return 'exit(0)';
    case 'capset':
      return `capset(${flagList(event.effective)})`;
    case 'mkdir':
      return `mkdir(${quote(event.path)}, 0755)`;
    case 'rmdir':
      return `rmdir(${quote(event.path)})`;
    case 'mknod':
      return `mknod(${quote(event.path)}, S_IFREG|0644)`;
    case 'unlink':
      return `unlink(${quote(event.path)})`;
    case 'open':
      return `open(${quote(event.path)}, ${['O_RDONLY', ...event.flags].join('|')})`;
    case 'close':
      return `close(${event.fd})`;
    case 'dup':
      return `dup(${event.fd})`;
    case 'chdir':
      return `chdir(${quote(event.path)})`;
    case 'fchdir':
      return `fchdir(${event.fd})`;
    case 'chroot':
      return `chroot(${quote(event.path)})`;
    case 'mount':
      return `mount(${quote(event.source)}, ${quote(event.target)}, ${quote(event.fstype)}, ${flagList(event.flags)})`;
    case 'umount2':
      return `umount2(${quote(event.target)}, ${flagList(event.flags)})`;
    case 'socketpair':
      return 'socketpair(AF_UNIX, SOCK_STREAM, 0)';
    case 'sendmsg':
      return `sendmsg(${event.fd}, SCM_RIGHTS[${event.fds.join(', ')}])`;
    case 'recvmsg':
      return `recvmsg(${event.fd}, MSG_DONTWAIT)`;
    case 'pivot_root':
      return `pivot_root(${quote(event.new_root)}, ${quote(event.put_old)})`;
    case 'open_tree':
      return `open_tree(${event.dfd}, ${quote(event.path)}, ${flagList(event.flags)})`;
    case 'move_mount':
      return `move_mount(${event.from_dfd}, ${quote(event.from_path)}, ${event.to_dfd}, ${quote(event.to_path)}, ${flagList(event.flags)})`;
    case 'fsopen':
      return `fsopen(${quote(event.fsname)}, 0)`;
    case 'fsconfig':
      return `fsconfig(${event.fd}, ${event.cmd}, NULL, NULL, 0)`;
    case 'fsmount':
      return `fsmount(${event.fd}, 0, ${flagList(event.attr)})`;
    case 'mount_setattr':
      return `mount_setattr(${event.dfd}, ${quote(event.path)}, ${flagList(event.flags)}, {attr_set=${flagList(event.attr_set)}, attr_clr=${flagList(event.attr_clr)}, propagation=${event.propagation ?? '0'}})`;
    default:
      return assertNever(event);
  }
}

/** `= 0`, `= 3 [3, 4]`, `= -1 EINVAL (do_loopback: mnt_ns_loop)`. */
export function formatReturn(result: Result): string {
  if (!result.ok) return `= -1 ${result.errno} (${result.check})`;
  return result.fds === undefined ? `= ${result.value}` : `= ${result.value} [${result.fds.join(', ')}]`;
}

/** One line of a trace: `[pid 1] umount2("/mnt", MNT_DETACH) = 0`. */
export function formatStep(event: Event, result: Result): string {
  return `[pid ${event.task}] ${formatCall(event)} ${formatReturn(result)}`;
}
