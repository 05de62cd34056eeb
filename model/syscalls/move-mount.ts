// move_mount(2), and do_move_mount(), which mount(2) with MS_MOVE shares. Mirrors fs/namespace.c
// (6.18): move_mount syscall, do_move_mount(), do_lock_mount(), can_move_mount_beneath(),
// check_for_nsfs_mounts(), mount_is_ancestor(), check_anonymous_mnt(), tree_contains_unbindable(),
// and fs/pnode.c propagation_would_overmount(). A detached tree (open_tree(OPEN_TREE_CLONE),
// fsmount()) is attached from its fd, by a task of any namespace; its anonymous namespace is
// then emptied and freed.
// Leaves out: MOVE_MOUNT_SET_GROUP (a model of the group transfer and its K18 history would need
// the kernel's slave-list order), the symlink and automount lookup flags (the model has no
// symlinks besides /proc's magic links, and no automounts).
import type { MoveMountEvent } from '../events.js';
import type { DentryId, MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { Path, State } from '../state.js';
import { attachRecursiveMnt, planAttach } from '../internal/attach.js';
import { mayMount } from '../internal/capability.js';
import { checkMnt, followMounts, isMounted, pathMounted, subtree } from '../internal/mount-tree.js';
import { lookupAt } from '../internal/namei.js';
import { anonNsRoot } from '../internal/namespace.js';
import { mntNsLoop } from '../internal/nsfs.js';
import type { Caller, Checked } from './common.js';
import { currentTask, fdgetRaw, has } from './common.js';
import { checkAnonymousMnt } from './open-tree.js';
import { mntNsOwner } from './mount.js';

/** fs/namespace.c: mount_is_ancestor(): `ancestor` is `mount` or lies on its way to the root. */
function mountIsAncestor(state: State, ancestor: MountId, mount: MountId): boolean {
  let current: MountId | null = mount;
  for (let guard = 0; current !== null && guard < 10_000; guard++) {
    if (current === ancestor) return true;
    current = state.mounts[current]?.mnt_parent ?? null;
  }
  return false;
}

/** fs/namespace.c: check_for_nsfs_mounts(): an nsfs mount in the tree would pin a namespace loop. */
function hasNsfsLoop(state: State, root: MountId, caller: Caller, opts: ModelOptions): boolean {
  return subtree(state, root).some((id) => {
    const dentry = state.dentries[state.mounts[id]?.mnt_root as DentryId];
    return dentry?.kind === 'nsfs' && mntNsLoop(state, caller.task.mntNs, dentry.ns, opts);
  });
}

/** fs/pnode.c: propagation_would_overmount(): `from` propagates onto `to`'s root at `mountpoint`. */
function propagationWouldOvermount(state: State, from: MountId, to: MountId, mountpoint: DentryId): boolean {
  const fromMount = state.mounts[from];
  if (fromMount === undefined || fromMount.mnt_group_id === null) return false;
  if (state.mounts[to]?.mnt_root !== mountpoint) return false;
  for (let current: MountId | null = to, guard = 0; current !== null && guard < 10_000; guard++) {
    if (state.mounts[current]?.mnt_group_id === fromMount.mnt_group_id) return true;
    current = state.mounts[current]?.mnt_master ?? null;
  }
  return false;
}

/** fs/namespace.c: can_move_mount_beneath(). `to` is the topmost mount at the target. */
function canMoveMountBeneath(state: State, caller: Caller, from: MountId, to: MountId): Failure | null {
  const toMount = state.mounts[to];
  if (toMount === undefined || toMount.mnt_parent === null || toMount.mnt_mountpoint === null) {
    return failure('EINVAL', 'can_move_mount_beneath: target has no parent');
  }
  const parent = toMount.mnt_parent;
  const mountpoint = toMount.mnt_mountpoint;
  if (toMount.flags.locked) return failure('EINVAL', 'can_move_mount_beneath: target is MNT_LOCKED');
  const fromMount = state.mounts[from];
  if (fromMount !== undefined && followMounts(state, { mnt: from, dentry: fromMount.mnt_root }).mnt !== from) {
    return failure('EINVAL', 'can_move_mount_beneath: source is overmounted');
  }
  if (caller.fs.root.mnt === to) return failure('EINVAL', "can_move_mount_beneath: target is the caller's root");
  if (parent === state.mntNamespaces[caller.task.mntNs]?.root) {
    return failure('EINVAL', 'can_move_mount_beneath: target sits on the namespace root');
  }
  for (let current: MountId | null = from; current !== null; current = state.mounts[current]?.mnt_parent ?? null) {
    if (state.mounts[current]?.mnt_parent === null) break;
    if (current === to) return failure('EINVAL', 'can_move_mount_beneath: target is an ancestor of the source');
  }
  if (propagationWouldOvermount(state, parent, to, mountpoint)) {
    return failure('EINVAL', 'can_move_mount_beneath: propagation would overmount the target');
  }
  if (checkMnt(fromMount, caller.task.mntNs) && propagationWouldOvermount(state, parent, from, mountpoint)) {
    return failure('EINVAL', 'can_move_mount_beneath: propagation would overmount the source');
  }
  return null;
}

/** fs/namespace.c: do_move_mount(): move the mount at `oldPath` (and its subtree) to `newPath`. */
export function doMoveMount(
  state: State,
  caller: Caller,
  oldPath: Path,
  newPath: Path,
  beneath: boolean,
  opts: ModelOptions,
): Checked {
  const old = state.mounts[oldPath.mnt];
  if (old === undefined) return failure('EINVAL', 'do_move_mount: no source mount');
  // do_move_mount(): !path_mounted(old_path)
  if (!pathMounted(state, oldPath)) return failure('EINVAL', 'do_move_mount: !path_mounted(old_path)');
  // do_move_mount(): d_is_dir(new_path->dentry) != d_is_dir(old_path->dentry)
  const isDir = (dentry: DentryId): boolean => state.dentries[dentry]?.kind === 'dir';
  if (isDir(newPath.dentry) !== isDir(oldPath.dentry)) {
    return failure('EINVAL', 'do_move_mount: directory and non-directory');
  }
  // do_lock_mount(): beneath needs the root of a mount: the path as given, before the overmounts are followed
  if (beneath && !pathMounted(state, newPath)) return failure('EINVAL', 'do_lock_mount: beneath a path that is not a mount root');
  // do_lock_mount(): the topmost mount at the target; with MOVE_MOUNT_BENEATH, its parent
  const top = followMounts(state, newPath);
  const topMount = state.mounts[top.mnt];
  if (!isMounted(topMount) || topMount === undefined) return failure('ENOENT', 'do_lock_mount: target mount is not mounted');
  if (state.dentries[top.dentry]?.unlinked === true) return failure('ENOENT', 'do_lock_mount: cant_mount(dentry)');
  let where: Path = top;
  if (beneath) {
    // do_lock_mount(): beneath needs a mount that has a parent
    if (topMount.mnt_parent === null || topMount.mnt_mountpoint === null) {
      return failure('EINVAL', 'do_lock_mount: beneath a mount without a parent');
    }
    where = { mnt: topMount.mnt_parent, dentry: topMount.mnt_mountpoint };
  }
  const parent = state.mounts[where.mnt];
  if (checkMnt(old, caller.task.mntNs)) {
    // do_move_mount(): the namespace root, or a mount locked to its parent, cannot move
    if (old.mnt_parent === null) return failure('EINVAL', 'do_move_mount: source has no parent');
    if (old.flags.locked) return failure('EINVAL', 'do_move_mount: source is MNT_LOCKED');
    // do_move_mount(): moving from under a shared parent
    if (state.mounts[old.mnt_parent]?.mnt_group_id != null) {
      return failure('EINVAL', 'do_move_mount: source parent is shared');
    }
    // do_move_mount(): !check_mnt(p)
    if (!checkMnt(parent, caller.task.mntNs)) return failure('EINVAL', 'do_move_mount: target not in our namespace');
  } else {
    // do_move_mount(): only the root of a detached tree moves in from outside
    if (!anonNsRoot(state, old.id)) return failure('EINVAL', 'do_move_mount: source is not the root of a detached tree');
    // do_move_mount(): a detached tree onto itself
    if (parent?.mnt_ns === old.mnt_ns) return failure('EINVAL', 'do_move_mount: target in the same detached tree');
    // do_move_mount(): !check_mnt(p) && !check_anonymous_mnt(p)
    if (!checkMnt(parent, caller.task.mntNs) && !checkAnonymousMnt(state, caller, where.mnt)) {
      return failure('EINVAL', 'do_move_mount: target neither in our namespace nor an acceptable detached tree');
    }
  }
  if (beneath) {
    const refused = canMoveMountBeneath(state, caller, old.id, top.mnt);
    if (refused !== null) return refused;
  }
  // do_move_mount(): IS_MNT_SHARED(p) && tree_contains_unbindable(old)
  if (parent?.mnt_group_id != null && subtree(state, old.id).some((id) => state.mounts[id]?.unbindable === true)) {
    return failure('EINVAL', 'do_move_mount: unbindable mount under a shared destination');
  }
  // do_move_mount(): !check_for_nsfs_mounts(old)
  if (opts.bug !== 'move-mount-skips-nsfs-check' && hasNsfsLoop(state, old.id, caller, opts)) {
    return failure('ELOOP', 'do_move_mount: check_for_nsfs_mounts');
  }
  // do_move_mount(): mount_is_ancestor(old, p): into its own subtree
  if (opts.bug !== 'move-into-own-subtree' && mountIsAncestor(state, old.id, where.mnt)) {
    return failure('ELOOP', 'do_move_mount: mount_is_ancestor');
  }
  const sourceIsNsfs = state.dentries[old.mnt_root]?.kind === 'nsfs';
  const attach = planAttach(state, sourceIsNsfs, where, mntNsOwner(state, caller), opts);
  if ('ok' in attach) return attach;
  return (draft) => {
    attachRecursiveMnt(draft, old.id, attach, opts);
    return success(0);
  };
}

/**
 * The target is `fd` with an empty path, and `fd` a socket or an fs_context: fd_raw() takes its
 * f_path, on sockfs or anon_inodefs, which the model keeps no mounts for (lookupAt refuses it).
 */
function pseudoFileTarget(state: State, caller: Caller, event: MoveMountEvent, emptyTo: boolean): boolean {
  if (event.to_path !== '' || !emptyTo || event.to_dfd === 'AT_FDCWD') return false;
  const found = fdgetRaw(state, caller, event.to_dfd);
  return found !== null && found.file.kind !== 'path';
}

/**
 * do_move_mount() onto a /proc magic link that was not followed (no MOVE_MOUNT_T_SYMLINKS): the
 * link is a non-directory on procfs, and do_lock_mount() refuses it as a mountpoint (ENOENT, seen
 * on 6.18); the model keeps no dentries for /proc's links, so the checks before it are spelled here.
 */
function moveOntoProcLink(state: State, caller: Caller, oldPath: Path, link: 'pid' | 'ns' | 'fd', beneath: boolean, opts: ModelOptions): Failure {
  // do_move_mount(): !path_mounted(old_path)
  if (!pathMounted(state, oldPath)) return failure('EINVAL', 'do_move_mount: !path_mounted(old_path)');
  // do_move_mount(): d_is_dir(new_path->dentry) != d_is_dir(old_path->dentry)
  if (state.dentries[oldPath.dentry]?.kind === 'dir') return failure('EINVAL', 'do_move_mount: directory and non-directory');
  // do_lock_mount(): beneath needs the root of a mount
  if (beneath) return failure('EINVAL', 'do_lock_mount: beneath a path that is not a mount root');
  // The dentries of /proc/<pid>/fd/N cannot be mounted on; those of /proc/<pid>/cwd and root can, so
  // do_move_mount() goes on to !check_for_nsfs_mounts(old) (both seen on 6.18)
  if (link !== 'fd' && opts.bug !== 'move-mount-skips-nsfs-check' && hasNsfsLoop(state, oldPath.mnt, caller, opts)) {
    return failure('ELOOP', 'do_move_mount: check_for_nsfs_mounts');
  }
  // do_lock_mount(): cant_mount(dentry); the model keeps no dentries to mount on for the other links
  return failure('ENOENT', 'do_lock_mount: cant_mount(dentry)');
}

/** The move_mount(2) system call. */
export function checkMoveMount(state: State, event: MoveMountEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // move_mount(): !may_mount()
  if (!mayMount(state, caller.task)) return failure('EPERM', 'move_mount: !may_mount()');
  const beneath = has(event.flags, 'MOVE_MOUNT_BENEATH');
  // move_mount(): 6.15+ resolves the target first: fd_raw(to_dfd) or filename_lookup(to_dfd, to_name)
  const emptyTo = has(event.flags, 'MOVE_MOUNT_T_EMPTY_PATH');
  const to = lookupAt(state, caller.task, event.to_dfd, event.to_path, { follow: false, empty: emptyTo }, opts);
  // a socket or fs_context target is a valid path on a pseudo mount: the source is still looked up
  if (!to.ok && !pseudoFileTarget(state, caller, event, emptyTo)) return to;
  // move_mount(): then the source: fd_raw(from_dfd) or filename_lookup(from_dfd, from_name)
  const emptyFrom = has(event.flags, 'MOVE_MOUNT_F_EMPTY_PATH');
  const from = lookupAt(state, caller.task, event.from_dfd, event.from_path, { follow: false, empty: emptyFrom }, opts);
  if (!from.ok) return from;
  // do_move_mount() on a pseudo-mount target: EINVAL (not a directory, and not in our namespace)
  if (!to.ok) return to;
  if (from.kind !== 'path') return failure('EINVAL', 'do_move_mount: !path_mounted(old_path)');
  if (to.kind === 'proc-link') return moveOntoProcLink(state, caller, from.path, to.in, beneath, opts);
  if (to.kind !== 'path') return failure('EINVAL', 'do_move_mount: !path_mounted(old_path)');
  return doMoveMount(state, caller, from.path, to.path, beneath, opts);
}
