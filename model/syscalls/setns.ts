// setns(2) with a mount-namespace file. Mirrors kernel/nsproxy.c (setns, prepare_nsset) and
// fs/namespace.c (mntns_install), whose capability checks are against the user namespace owning
// the target and the caller's own. Leaves out: pidfds (only nsfs files are modelled) and every
// namespace type other than mount namespaces (their nstype is rejected like a mismatch); joining a
// user namespace (userns_install) is therefore not modelled either.
import type { SetnsEvent } from '../events.js';
import type { ModelOptions } from '../options.js';
import { failure, success } from '../result.js';
import type { State } from '../state.js';
import { nsCapable } from '../internal/capability.js';
import { followMounts } from '../internal/mount-tree.js';
import { getMntNs, putMntNs } from '../internal/namespace.js';
import { mntget } from '../internal/refs.js';
import type { Checked } from './common.js';
import { currentTask, fdget, setFsPath } from './common.js';

/** kernel/nsproxy.c: setns() then fs/namespace.c: mntns_install(). */
export function checkSetns(state: State, event: SetnsEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // setns(): fdget() does not see O_PATH files
  const found = fdget(state, caller, event.fd);
  if (found === null) return failure('EBADF', 'setns: fdget: bad file descriptor');
  const file = found.file;
  const dentry = file.kind === 'path' ? state.dentries[file.f_path.dentry] : undefined;
  // setns(): proc_ns_file() (a pidfd would be accepted here; none is modelled)
  if (dentry === undefined || dentry.kind !== 'nsfs') {
    return failure('EINVAL', 'setns: not a namespace file');
  }
  // setns(): flags && ns->ns_type != flags
  if (event.nstype !== '0' && event.nstype !== 'CLONE_NEWNS') {
    return failure('EINVAL', 'setns: nstype does not match the namespace');
  }
  const target = state.mntNamespaces[dentry.ns];
  if (target === undefined) return failure('EINVAL', 'setns: namespace freed');
  // mntns_install(): !ns_capable(mnt_ns->user_ns, CAP_SYS_ADMIN) || !ns_capable(current_user_ns(),
  // CAP_SYS_CHROOT) || !ns_capable(current_user_ns(), CAP_SYS_ADMIN)
  if (
    !nsCapable(state, caller.task, target.user_ns, 'sysAdmin') ||
    !nsCapable(state, caller.task, caller.task.userNs, 'sysChroot') ||
    !nsCapable(state, caller.task, caller.task.userNs, 'sysAdmin')
  ) {
    return failure('EPERM', 'mntns_install: !ns_capable(CAP_SYS_ADMIN, CAP_SYS_CHROOT)');
  }
  // mntns_install()
  if (target.anon) return failure('EINVAL', 'mntns_install: is_anon_ns');
  // mntns_install()
  if (caller.fs.users !== 1) return failure('EINVAL', 'mntns_install: fs->users != 1');
  const rootMount = state.mounts[target.root];
  if (rootMount === undefined) return failure('EINVAL', 'mntns_install: namespace has no root');
  // vfs_path_lookup(ns root, "/", LOOKUP_DOWN): the topmost mount stacked on the namespace root
  const root = followMounts(state, { mnt: rootMount.id, dentry: rootMount.mnt_root });
  return (draft) => {
    const task = draft.tasks[caller.task.pid];
    if (task === undefined) return success(0);
    getMntNs(draft, target.id);
    const old = task.mntNs;
    task.mntNs = target.id;
    putMntNs(draft, old, opts);
    setFsPath(draft, caller.task.fs, 'pwd', root, opts);
    if (opts.bug === 'setns-keeps-old-root-ref') {
      // Seeded bug: the new root is installed without dropping the reference on the old one.
      const fs = draft.fsStructs[caller.task.fs];
      if (fs !== undefined) {
        mntget(draft, root.mnt);
        fs.root = { ...root };
      }
    } else {
      setFsPath(draft, caller.task.fs, 'root', root, opts);
    }
    return success(0);
  };
}
