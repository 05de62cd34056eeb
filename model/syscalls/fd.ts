// open(2) (O_RDONLY, O_PATH, O_DIRECTORY; including /proc/<pid>/ns/mnt), close(2) and dup(2).
// Mirrors fs/open.c (do_sys_open, build_open_flags), fs/namei.c (do_open), fs/file.c (close_fd,
// dup) and fs/nsfs.c (ns_get_path via proc_ns_get_link). O_NOFOLLOW matters only for /proc's
// magic links, the model's only symlinks: opening one itself fails ELOOP, as in the kernel.
// Leaves out: writing, O_CREAT (files are made with mknod), O_PATH files on a magic link itself
// or on a procfs directory (procfs dentries below /proc are not modelled), and the ptrace access
// check on /proc/<pid>/ns (every task has the same credentials).
import type { CloseEvent, DupEvent, OpenEvent } from '../events.js';
import type { ModelOptions } from '../options.js';
import { failure, success } from '../result.js';
import type { DraftState, Path, State } from '../state.js';
import { allocFileId, lowestFreeFd } from '../internal/alloc.js';
import { pathLookup } from '../internal/namei.js';
import { nsGetDentry } from '../internal/nsfs.js';
import { fget, fput, mntget, pathGet } from '../internal/refs.js';
import { unixGc } from '../internal/unix-gc.js';
import type { Caller, Checked } from './common.js';
import { currentTask, fdgetRaw, has } from './common.js';

/** fd_install() of a new struct file on `path` (whose references the file now owns). */
function installPathFile(draft: DraftState, caller: Caller, path: Path, fmodePath: boolean): number {
  const id = allocFileId(draft);
  draft.files[id] = { kind: 'path', id, f_count: 1, f_path: { ...path }, fmodePath, needUnmount: false };
  const table = draft.filesStructs[caller.task.files];
  if (table === undefined) return -1;
  const fd = lowestFreeFd(table.fdt);
  table.fdt[fd] = id;
  return fd;
}

/** fs/open.c: do_sys_openat2() -> fs/namei.c: path_openat() and do_open(). */
export function checkOpen(state: State, event: OpenEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // build_open_flags(): LOOKUP_FOLLOW unless O_NOFOLLOW
  const follow = !has(event.flags, 'O_NOFOLLOW');
  const found = pathLookup(state, caller.task, event.path, { follow }, opts);
  if (!found.ok) return found;
  if (found.kind === 'proc-dir') {
    return failure('ENOENT', 'model: procfs directories below /proc are not modelled');
  }
  const fmodePath = has(event.flags, 'O_PATH');
  const isDir = found.kind === 'path' && state.dentries[found.path.dentry]?.kind === 'dir';
  // do_open(): O_DIRECTORY && !d_can_lookup()
  if (has(event.flags, 'O_DIRECTORY') && !isDir) {
    return failure('ENOTDIR', 'do_open: O_DIRECTORY on a non-directory');
  }
  if (found.kind === 'proc-link') {
    // may_open(): S_IFLNK (O_PATH skips may_open and opens the link itself)
    if (!fmodePath) return failure('ELOOP', 'may_open: O_NOFOLLOW on a symlink');
    return failure('ENOENT', 'model: O_PATH files on a /proc magic link are not modelled');
  }
  if (found.kind === 'nsfs') {
    return (draft) => {
      // proc_ns_get_link() -> ns_get_path(): the file owns the dentry and an nsfs_mnt reference
      const dentry = nsGetDentry(draft, found.ns, opts);
      mntget(draft, draft.nsfsMnt);
      return success(installPathFile(draft, caller, { mnt: draft.nsfsMnt, dentry }, fmodePath));
    };
  }
  return (draft) => {
    pathGet(draft, found.path);
    return success(installPathFile(draft, caller, found.path, fmodePath));
  };
}

/** fs/file.c: close_fd() then filp_close() -> fput(). */
export function checkClose(state: State, event: CloseEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const found = fdgetRaw(state, caller, event.fd);
  if (found === null) return failure('EBADF', 'close_fd: bad file descriptor');
  return (draft) => {
    const table = draft.filesStructs[caller.task.files];
    if (table !== undefined) delete table.fdt[event.fd];
    fput(draft, found.id, opts);
    unixGc(draft, opts);
    return success(0);
  };
}

/** fs/file.c: dup(): the same struct file under the lowest free descriptor. */
export function checkDup(state: State, event: DupEvent): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // dup(): fget_raw() accepts O_PATH files
  const found = fdgetRaw(state, caller, event.fd);
  if (found === null) return failure('EBADF', 'dup: fget_raw: bad file descriptor');
  return (draft) => {
    const table = draft.filesStructs[caller.task.files];
    if (table === undefined) return success(-1);
    const fd = lowestFreeFd(table.fdt);
    table.fdt[fd] = found.id;
    fget(draft, found.id);
    return success(fd);
  };
}
