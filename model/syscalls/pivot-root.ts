// pivot_root(2): make the mount at new_root the caller's root mount and put the old root mount at
// put_old. Mirrors fs/namespace.c (6.18): the pivot_root system call, lock_mount(),
// is_path_reachable(), umount_mnt(), unhash_mnt(), attach_mnt(), and fs/fs_struct.c:
// chroot_fs_refs(), which moves every root and cwd that was exactly the old root.
// Leaves out: security_sb_pivotroot() (no LSM is modelled), touch_mnt_namespace() and
// mnt_notify_add() (no event counters or fanotify), and removing new_root's mount from the
// mnt_expire list (automount expiry lists are not modelled; the MNT_EXPIRE mark is unaffected).
// The lookups hold no transient references, as everywhere in the model.
import type { PivotRootEvent } from '../events.js';
import type { DentryId, MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { DraftState, Mount, Path, State, Task } from '../state.js';
import { unreachable } from '../internal/bug.js';
import { mayMount } from '../internal/capability.js';
import { attachMnt, checkMnt, isSubdir, pathMounted, umountMnt } from '../internal/mount-tree.js';
import { pathLookup } from '../internal/namei.js';
import type { Checked } from './common.js';
import { currentTask, setFsPath } from './common.js';
import { lockMount } from './mount.js';

/** fs/namei.c: user_path_at(AT_FDCWD, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY). */
function userPathDir(state: State, task: Task, name: string, opts: ModelOptions): Path | Failure {
  const found = pathLookup(state, task, name, { follow: true }, opts);
  if (!found.ok) return found;
  if (found.kind === 'nsfs') return failure('ENOTDIR', 'pivot_root: user_path_at: nsfs file is not a directory');
  if (found.kind !== 'path') return failure('ENOENT', 'model: procfs directories below /proc are not modelled');
  if (state.dentries[found.path.dentry]?.kind !== 'dir') {
    return failure('ENOTDIR', 'pivot_root: user_path_at: LOOKUP_DIRECTORY on a non-directory');
  }
  return found.path;
}

/** IS_MNT_SHARED(mnt->mnt_parent): a mount without a parent is its own mnt_parent in the kernel. */
function parentIsShared(state: State, mount: Mount): boolean {
  const parent = mount.mnt_parent === null ? mount : state.mounts[mount.mnt_parent];
  return parent !== undefined && parent.mnt_group_id !== null;
}

/**
 * fs/namespace.c: is_path_reachable(): climbing from (mnt, dentry) through mountpoints reaches
 * root's mount, at a dentry at or below root's dentry.
 */
export function isPathReachable(state: State, mnt: MountId, dentry: DentryId, root: Path): boolean {
  let mount = state.mounts[mnt];
  let at = dentry;
  for (let guard = 0; mount !== undefined && mount.id !== root.mnt && guard < 10_000; guard++) {
    if (mount.mnt_parent === null || mount.mnt_mountpoint === null) break;
    at = mount.mnt_mountpoint;
    mount = state.mounts[mount.mnt_parent];
  }
  return mount !== undefined && mount.id === root.mnt && isSubdir(state, at, root.dentry);
}

/**
 * fs/fs_struct.c: chroot_fs_refs(): every fs_struct in the system whose root or pwd is exactly
 * `oldRoot` gets `newRoot` instead, each field taking a reference on the new path and dropping
 * the one on the old. An fs_struct shared by several tasks is changed on its first visit.
 */
function chrootFsRefs(draft: DraftState, oldRoot: Path, newRoot: Path, opts: ModelOptions): void {
  const isOldRoot = (path: Path): boolean => path.mnt === oldRoot.mnt && path.dentry === oldRoot.dentry;
  for (const task of Object.values(draft.tasks)) {
    const fs = draft.fsStructs[task.fs];
    if (fs === undefined) continue;
    if (isOldRoot(fs.root)) setFsPath(draft, fs.id, 'root', newRoot, opts);
    if (isOldRoot(fs.pwd)) setFsPath(draft, fs.id, 'pwd', newRoot, opts);
  }
}

/** fs/namespace.c: SYSCALL_DEFINE2(pivot_root). */
export function checkPivotRoot(state: State, event: PivotRootEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // fs/namespace.c: pivot_root(): !may_mount()
  if (!mayMount(state, caller.task)) return failure('EPERM', 'pivot_root: !may_mount()');
  // fs/namespace.c: pivot_root(): user_path_at(new_root, LOOKUP_FOLLOW | LOOKUP_DIRECTORY)
  const newPath = userPathDir(state, caller.task, event.new_root, opts);
  if ('ok' in newPath) return newPath;
  // fs/namespace.c: pivot_root(): user_path_at(put_old, LOOKUP_FOLLOW | LOOKUP_DIRECTORY)
  const putOld = userPathDir(state, caller.task, event.put_old, opts);
  if ('ok' in putOld) return putOld;
  // fs/namespace.c: pivot_root(): get_fs_root()
  const root = caller.fs.root;
  // fs/namespace.c: lock_mount(&old): the topmost mount at put_old
  const old = lockMount(state, { ok: true, kind: 'path', path: putOld });
  if ('ok' in old) return old;
  const newMnt = state.mounts[newPath.mnt];
  const rootMnt = state.mounts[root.mnt];
  const oldMnt = state.mounts[old.mnt];
  if (newMnt === undefined || rootMnt === undefined || oldMnt === undefined) {
    return unreachable('pivot_root: a looked-up path names a freed mount');
  }
  // fs/namespace.c: pivot_root(): IS_MNT_SHARED(old_mnt)
  if (oldMnt.mnt_group_id !== null) return failure('EINVAL', 'pivot_root: IS_MNT_SHARED(old_mnt)');
  // fs/namespace.c: pivot_root(): IS_MNT_SHARED(new_mnt->mnt_parent)
  if (parentIsShared(state, newMnt)) return failure('EINVAL', 'pivot_root: IS_MNT_SHARED(new_mnt->mnt_parent)');
  // fs/namespace.c: pivot_root(): IS_MNT_SHARED(root_mnt->mnt_parent)
  if (parentIsShared(state, rootMnt)) return failure('EINVAL', 'pivot_root: IS_MNT_SHARED(root_mnt->mnt_parent)');
  // fs/namespace.c: pivot_root(): !check_mnt(root_mnt)
  if (!checkMnt(rootMnt, caller.task.mntNs)) return failure('EINVAL', 'pivot_root: !check_mnt(root_mnt)');
  // fs/namespace.c: pivot_root(): !check_mnt(new_mnt)
  if (!checkMnt(newMnt, caller.task.mntNs)) return failure('EINVAL', 'pivot_root: !check_mnt(new_mnt)');
  // fs/namespace.c: pivot_root(): new_mnt->mnt.mnt_flags & MNT_LOCKED
  if (newMnt.flags.locked) return failure('EINVAL', 'pivot_root: new_mnt is MNT_LOCKED');
  // fs/namespace.c: pivot_root(): d_unlinked(new.dentry)
  if (state.dentries[newPath.dentry]?.unlinked === true) return failure('ENOENT', 'pivot_root: d_unlinked(new.dentry)');
  // fs/namespace.c: pivot_root(): new_mnt == root_mnt
  if (newMnt.id === rootMnt.id) return failure('EBUSY', 'pivot_root: new_mnt == root_mnt');
  // fs/namespace.c: pivot_root(): old_mnt == root_mnt
  if (oldMnt.id === rootMnt.id) return failure('EBUSY', 'pivot_root: old_mnt == root_mnt');
  // fs/namespace.c: pivot_root(): !path_mounted(&root)
  if (!pathMounted(state, root)) return failure('EINVAL', 'pivot_root: !path_mounted(&root)');
  // fs/namespace.c: pivot_root(): !mnt_has_parent(root_mnt)
  const rootParent = rootMnt.mnt_parent;
  const rootMp = rootMnt.mnt_mountpoint;
  if (rootParent === null || rootMp === null) return failure('EINVAL', 'pivot_root: !mnt_has_parent(root_mnt)');
  // fs/namespace.c: pivot_root(): !path_mounted(&new)
  if (!pathMounted(state, newPath)) return failure('EINVAL', 'pivot_root: !path_mounted(&new)');
  // fs/namespace.c: pivot_root(): !mnt_has_parent(new_mnt)
  if (newMnt.mnt_parent === null) return failure('EINVAL', 'pivot_root: !mnt_has_parent(new_mnt)');
  // fs/namespace.c: pivot_root(): !is_path_reachable(old_mnt, old.dentry, &new): put_old under new_root
  if (!isPathReachable(state, oldMnt.id, old.dentry, newPath)) {
    return failure('EINVAL', 'pivot_root: !is_path_reachable(old_mnt, old.dentry, &new)');
  }
  // fs/namespace.c: pivot_root(): !is_path_reachable(new_mnt, new.dentry, &root): new_root under the root
  // Seeded bug (K04, CVE-2014-7970): without it a mount can be hung under its own descendant.
  if (opts.bug !== 'pivot-root-skips-reachability' && !isPathReachable(state, newMnt.id, newPath.dentry, root)) {
    return failure('EINVAL', 'pivot_root: !is_path_reachable(new_mnt, new.dentry, &root)');
  }
  return (draft) => {
    umountMnt(draft, newMnt.id, opts); // umount_mnt(new_mnt)
    // unhash_mnt(root_mnt): the kernel keeps root_mp pinned; here it is re-created by attach_mnt
    umountMnt(draft, rootMnt.id, opts);
    const newDraft = draft.mounts[newMnt.id];
    const rootDraft = draft.mounts[rootMnt.id];
    if (rootMnt.flags.locked && newDraft !== undefined && rootDraft !== undefined) {
      newDraft.flags.locked = true; // the new root takes over MNT_LOCKED
      rootDraft.flags.locked = false;
    }
    attachMnt(draft, rootMnt.id, old.mnt, old.dentry); // mount old root on put_old
    attachMnt(draft, newMnt.id, rootParent, rootMp); // mount new_root on /
    chrootFsRefs(draft, root, newPath, opts);
    return success(0);
  };
}
