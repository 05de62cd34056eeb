// mount_setattr(2): set and clear per-mount flags (MOUNT_ATTR_RDONLY, _NOSUID, _NODEV, _NOEXEC) and
// change the propagation type of a mount, or of its whole subtree with AT_RECURSIVE, all or
// nothing. Mirrors fs/namespace.c (6.18): mount_setattr syscall, wants_mount_setattr(),
// build_mount_kattr(), do_mount_setattr(), mount_setattr_prepare() with can_change_locked_flags(),
// mount_setattr_commit() with recalc_flags(), and fs/pnode.c change_mnt_propagation().
// The target is the root of a mount of the caller's namespace or the root of a detached tree
// (open_tree(OPEN_TREE_CLONE), fsmount), whoever made it.
// Leaves out: the size argument and struct versions (E2BIG, short sizes: the event carries the
// struct itself), idmapped mounts (MOUNT_ATTR_IDMAP, userns_fd), atime attributes and MNT_LOCK_ATIME,
// AT_SYMLINK_NOFOLLOW and AT_NO_AUTOMOUNT (no symlinks besides /proc's magic links, no automounts),
// and mnt_hold_writers()'s EBUSY (the model opens nothing for writing). Unknown flag bits and more
// than one propagation type (EINVAL) cannot be written as an event.
import type { MountSetattrEvent } from '../events.js';
import type { MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import { failure, success } from '../result.js';
import type { Mount, State } from '../state.js';
import { mayMount } from '../internal/capability.js';
import type { SettableFlags } from '../internal/mount-flags.js';
import { canChangeLockedFlags } from '../internal/mount-flags.js';
import { checkMnt, pathMounted, subtree } from '../internal/mount-tree.js';
import { lookupAt } from '../internal/namei.js';
import { anonNsRoot } from '../internal/namespace.js';
import { changeMntPropagation, inventGroupIds } from '../internal/pnode.js';
import type { Checked } from './common.js';
import { currentTask, has } from './common.js';
import { attrFlagsToMntFlags } from './fsmount.js';

/** fs/namespace.c: recalc_flags(): clear attr_clr, then raise attr_set (set wins over clear). */
function recalcFlags(mount: Mount, event: MountSetattrEvent): SettableFlags {
  const set = attrFlagsToMntFlags(event.attr_set);
  const clr = attrFlagsToMntFlags(event.attr_clr);
  const flags = mount.flags;
  return {
    readonly: set.readonly || (flags.readonly && !clr.readonly),
    nosuid: set.nosuid || (flags.nosuid && !clr.nosuid),
    nodev: set.nodev || (flags.nodev && !clr.nodev),
    noexec: set.noexec || (flags.noexec && !clr.noexec),
  };
}

/** The mount_setattr(2) system call. */
export function checkMountSetattr(state: State, event: MountSetattrEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // wants_mount_setattr(): !may_mount()
  if (!mayMount(state, caller.task)) return failure('EPERM', 'wants_mount_setattr: !may_mount()');
  // wants_mount_setattr(): attr_set, attr_clr and propagation all 0: a no-op, the path is not looked at
  if (event.attr_set.length === 0 && event.attr_clr.length === 0 && event.propagation === null) {
    return () => success(0);
  }
  // mount_setattr(): user_path_at(dfd, path, LOOKUP_FOLLOW | LOOKUP_AUTOMOUNT [| LOOKUP_EMPTY])
  const empty = has(event.flags, 'AT_EMPTY_PATH');
  const found = lookupAt(state, caller.task, event.dfd, event.path, { follow: true, empty }, opts);
  if (!found.ok) return found;
  if (found.kind === 'proc-dir' || found.kind === 'proc-link') {
    return failure('ENOENT', 'model: procfs directories below /proc are not modelled');
  }
  // do_mount_setattr(): !path_mounted(path); a followed /proc/<pid>/ns/mnt is an nsfs dentry, never
  // the root of the internal nsfs mount
  if (found.kind === 'nsfs' || !pathMounted(state, found.path)) {
    return failure('EINVAL', 'do_mount_setattr: !path_mounted()');
  }
  const root = found.path.mnt;
  // do_mount_setattr(): !anon_ns_root(mnt) && !check_mnt(mnt)
  if (!anonNsRoot(state, root) && !checkMnt(state.mounts[root], caller.task.mntNs)) {
    return failure('EINVAL', 'do_mount_setattr: neither the root of a detached tree nor in our namespace');
  }
  const recurse = has(event.flags, 'AT_RECURSIVE');
  const targets: readonly MountId[] = recurse ? subtree(state, root) : [root];
  // mount_setattr_prepare(): !can_change_locked_flags(m, recalc_flags(kattr, m)), for each mount
  for (const id of targets) {
    const mount = state.mounts[id];
    if (mount !== undefined && !canChangeLockedFlags(mount.flags, recalcFlags(mount, event))) {
      return failure('EPERM', 'mount_setattr_prepare: !can_change_locked_flags()');
    }
  }
  const propagation = event.propagation;
  return (draft) => {
    // do_mount_setattr(): invent_group_ids() before anything changes (MS_SHARED only)
    if (propagation === 'MS_SHARED') inventGroupIds(draft, root, recurse);
    // mount_setattr_commit(): new flags, then change_mnt_propagation(), mount by mount
    for (const id of targets) {
      const mount = draft.mounts[id];
      if (mount === undefined) continue;
      mount.flags = { ...mount.flags, ...recalcFlags(mount, event) };
      if (propagation !== null) changeMntPropagation(draft, id, propagation);
    }
    return success(0);
  };
}
