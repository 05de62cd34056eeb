// chdir(2), fchdir(2) and chroot(2). Mirrors fs/open.c (chdir, fchdir, chroot) and
// fs/fs_struct.c (set_fs_pwd, set_fs_root). The new root or cwd may be on any mount, including a
// mount of another namespace or one that was lazily unmounted. Leaves out: permissions (every
// task is uid 0).
import type { ChdirEvent, ChrootEvent, FchdirEvent } from '../events.js';
import type { DentryId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { Path, State } from '../state.js';
import { pathLookup } from '../internal/namei.js';
import type { Checked } from './common.js';
import { currentTask, fdgetRaw, setFsPath } from './common.js';

/** user_path_at(LOOKUP_FOLLOW | LOOKUP_DIRECTORY). */
function lookupDirectory(
  state: State,
  task: Parameters<typeof pathLookup>[1],
  path: string,
  opts: ModelOptions,
  check: string,
): Path | Failure {
  const found = pathLookup(state, task, path, { follow: true }, opts);
  if (!found.ok) return found;
  if (found.kind === 'nsfs') return failure('ENOTDIR', `${check}: nsfs file is not a directory`);
  if (found.kind !== 'path') return failure('ENOENT', 'model: procfs directories below /proc are not modelled');
  if (state.dentries[found.path.dentry]?.kind !== 'dir') {
    return failure('ENOTDIR', `${check}: LOOKUP_DIRECTORY on a non-directory`);
  }
  return found.path;
}

/** fs/open.c: chdir(). */
export function checkChdir(state: State, event: ChdirEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const path = lookupDirectory(state, caller.task, event.path, opts, 'chdir');
  if ('ok' in path) return path;
  return (draft) => {
    setFsPath(draft, caller.task.fs, 'pwd', path, opts);
    return success(0);
  };
}

/** fs/open.c: fchdir(): O_PATH descriptors are accepted (fdget_raw). */
export function checkFchdir(state: State, event: FchdirEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const found = fdgetRaw(state, caller, event.fd);
  // fchdir(): fd_empty()
  if (found === null) return failure('EBADF', 'fchdir: bad file descriptor');
  const file = found.file;
  // fchdir(): !d_can_lookup()
  const canLookup = state.dentries[file.kind === 'path' ? file.f_path.dentry : (-1 as DentryId)]?.kind === 'dir';
  if (file.kind !== 'path' || (!canLookup && opts.bug !== 'fchdir-skips-directory-check')) {
    return failure('ENOTDIR', 'fchdir: !d_can_lookup');
  }
  const path = file.f_path;
  return (draft) => {
    setFsPath(draft, caller.task.fs, 'pwd', path, opts);
    return success(0);
  };
}

/** fs/open.c: chroot(). The cwd is left where it is. */
export function checkChroot(state: State, event: ChrootEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const path = lookupDirectory(state, caller.task, event.path, opts, 'chroot');
  if ('ok' in path) return path;
  // chroot(): !ns_capable(current_user_ns(), CAP_SYS_CHROOT)
  if (!caller.task.caps.sysChroot) return failure('EPERM', 'chroot: !ns_capable(CAP_SYS_CHROOT)');
  return (draft) => {
    setFsPath(draft, caller.task.fs, 'root', path, opts);
    return success(0);
  };
}
