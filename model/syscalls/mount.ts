// mount(2): a new filesystem (tmpfs, or the one procfs instance) and bind mounts (MS_BIND,
// MS_BIND|MS_REC). Mirrors fs/namespace.c: path_mount() dispatch, do_new_mount(),
// do_add_mount(), do_loopback(), __do_loopback(), may_copy_tree(), lock_mount(), graft_tree(),
// and the loop rule mnt_ns_loop(). The target is resolved before the capability check, as
// do_mount() does, so an unprivileged caller gets ENOENT for a missing target.
// Leaves out here: propagation flags, MS_MOVE and MS_REMOUNT (with shared subtrees), mount
// options and the fs.mount-max limit (ENOSPC).
import type { MountEvent } from '../events.js';
import type { DentryId, MntNsId, MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { DraftState, Path, State } from '../state.js';
import { allocMount, allocSuperBlock, NO_FLAGS } from '../internal/alloc.js';
import { attachMnt, checkMnt, followMounts, isMounted, pathMounted } from '../internal/mount-tree.js';
import type { Lookup } from '../internal/namei.js';
import { pathLookup } from '../internal/namei.js';
import type { CopyPlanEntry } from '../internal/namespace.js';
import { addTreeToNs, applyCopyTree, cloneMnt, planCopyTree } from '../internal/namespace.js';
import { mntNsLoop, mntNsOfDentry, nsGetDentry } from '../internal/nsfs.js';
import { dput } from '../internal/refs.js';
import type { Caller, Checked } from './common.js';
import { currentTask, has } from './common.js';

/** The filesystem types mount(2) can create in the model. */
export const MOUNTABLE_FS_TYPES = ['tmpfs', 'proc'] as const;

/** fs/namespace.c: lock_mount(): the topmost mount at the target, which must be mounted. */
export function lockMount(state: State, target: Lookup & { ok: true }): Path | Failure {
  if (target.kind !== 'path') {
    // /proc/<pid>/ns/mnt lives on the internal nsfs mount, which is in no namespace
    return failure('ENOENT', 'lock_mount: target mount is not mounted');
  }
  const path = followMounts(state, target.path);
  if (!isMounted(state.mounts[path.mnt])) {
    return failure('ENOENT', 'lock_mount: target mount is not mounted');
  }
  if (state.dentries[path.dentry]?.unlinked) return failure('ENOENT', 'lock_mount: cant_mount(dentry)');
  return path;
}

function isDir(state: State, dentry: DentryId): boolean {
  return state.dentries[dentry]?.kind === 'dir';
}

/** Attach a freshly built tree at `where` and put it into the parent's namespace. */
function graftTree(draft: DraftState, tree: readonly MountId[], where: Path): void {
  const parent = draft.mounts[where.mnt];
  const root = tree[0];
  if (parent === undefined || root === undefined || parent.mnt_ns === null) return;
  attachMnt(draft, root, where.mnt, where.dentry);
  addTreeToNs(draft, tree, parent.mnt_ns);
}

/** fs/namespace.c: do_new_mount() and do_add_mount(). */
function doNewMount(state: State, event: MountEvent, caller: Caller, target: Lookup & { ok: true }): Checked {
  // do_new_mount(): !fstype
  if (event.fstype === null || event.fstype === '') return failure('EINVAL', 'do_new_mount: no fstype');
  // do_new_mount(): get_fs_type()
  const fstype = event.fstype;
  if (fstype !== 'tmpfs' && fstype !== 'proc') return failure('ENODEV', 'get_fs_type: unknown filesystem type');
  const procSb = Object.values(state.superBlocks).find((sb) => sb.s_type === 'proc');
  const where = lockMount(state, target);
  if ('ok' in where) return where;
  const parent = state.mounts[where.mnt];
  // do_add_mount(): !check_mnt(parent)
  if (!checkMnt(parent, caller.task.mntNs)) return failure('EINVAL', 'do_add_mount: !check_mnt(parent)');
  // do_add_mount(): the same superblock is already mounted exactly here
  if (fstype === 'proc' && procSb !== undefined && parent?.mnt_sb === procSb.id && pathMounted(state, where)) {
    return failure('EBUSY', 'do_add_mount: same superblock on the same mountpoint');
  }
  // graft_tree(): d_is_dir(mountpoint) != d_is_dir(root)
  if (!isDir(state, where.dentry)) return failure('ENOTDIR', 'graft_tree: mounting a directory on a non-directory');
  return (draft) => {
    const sb = fstype === 'proc' && procSb !== undefined ? procSb.id : allocSuperBlock(draft, fstype, caller.task.userNs);
    const superBlock = draft.superBlocks[sb];
    if (superBlock === undefined) return success(-1);
    superBlock.s_active++;
    const mount = allocMount(draft, sb, superBlock.s_root, NO_FLAGS);
    graftTree(draft, [mount], where);
    return success(0);
  };
}

/** The bind source: a path, or the nsfs dentry of a namespace (created on demand). */
type Source = { readonly path: Path; readonly ns: null } | { readonly path: null; readonly ns: MntNsId };

/** fs/namespace.c: do_loopback() and __do_loopback(). */
function doLoopback(
  state: State,
  event: MountEvent,
  caller: Caller,
  target: Lookup & { ok: true },
  opts: ModelOptions,
): Checked {
  const recurse = has(event.flags, 'MS_REC');
  // do_loopback(): !old_name || !*old_name
  if (event.source === null || event.source === '') return failure('EINVAL', 'do_loopback: no source');
  // do_loopback(): kern_path(old_name, LOOKUP_FOLLOW)
  const found = pathLookup(state, caller.task, event.source, { follow: true }, opts);
  if (!found.ok) return found;
  if (found.kind === 'proc-dir' || found.kind === 'proc-link') {
    return failure('ENOENT', 'model: procfs directories below /proc are not modelled');
  }
  const source: Source =
    found.kind === 'nsfs' ? { path: null, ns: found.ns } : { path: found.path, ns: null };
  const sourceNs = source.ns ?? (source.path === null ? null : mntNsOfDentry(state, source.path.dentry));
  // do_loopback(): mnt_ns_loop(old_path.dentry)
  if (sourceNs !== null && mntNsLoop(state, caller.task.mntNs, sourceNs, opts)) {
    return failure('EINVAL', 'do_loopback: mnt_ns_loop');
  }
  const where = lockMount(state, target);
  if ('ok' in where) return where;
  // do_loopback(): !check_mnt(mp.parent)
  if (!checkMnt(state.mounts[where.mnt], caller.task.mntNs)) {
    return failure('EINVAL', 'do_loopback: !check_mnt(target parent)');
  }
  const oldMnt = source.path === null ? state.nsfsMnt : source.path.mnt;
  const old = state.mounts[oldMnt];
  // __do_loopback(): IS_MNT_UNBINDABLE(old)
  if (old?.unbindable) return failure('EINVAL', '__do_loopback: IS_MNT_UNBINDABLE');
  // __do_loopback(): !may_copy_tree(old_path): the caller's namespace, or an nsfs dentry
  if (sourceNs === null && !checkMnt(old, caller.task.mntNs)) {
    return failure('EINVAL', '__do_loopback: !may_copy_tree');
  }
  let plan: readonly CopyPlanEntry[] | null = null;
  if (source.path !== null) {
    const sourcePath = source.path;
    // __do_loopback(): !recurse && __has_locked_children()
    if (!recurse && hasLockedChildren(state, sourcePath)) {
      return failure('EINVAL', '__do_loopback: __has_locked_children');
    }
    if (recurse) {
      // copy_tree(old, dentry, CL_COPY_MNT_NS_FILE)
      const copy = planCopyTree(state, sourcePath.mnt, sourcePath.dentry, {
        copyUnbindable: false,
        copyMntNsFile: true,
      });
      if (!copy.ok) return failure(copy.errno, copy.check);
      plan = copy.entries;
    }
  }
  // graft_tree(): d_is_dir(mountpoint) != d_is_dir(root)
  const sourceIsDir = source.path !== null && isDir(state, source.path.dentry);
  if (sourceIsDir !== isDir(state, where.dentry)) {
    return failure('ENOTDIR', 'graft_tree: directory and non-directory');
  }
  return (draft) => {
    if (source.path === null) {
      const dentry = nsGetDentry(draft, source.ns, opts); // kern_path(): ns_get_path()
      const mount = cloneMnt(draft, draft.nsfsMnt, dentry);
      graftTree(draft, [mount], where);
      dput(draft, dentry, opts); // path_put(&old_path)
      return success(0);
    }
    const tree = plan !== null ? applyCopyTree(draft, plan) : [cloneMnt(draft, source.path.mnt, source.path.dentry)];
    graftTree(draft, tree, where);
    return success(0);
  };
}

/** fs/namespace.c: __has_locked_children(): a locked mount under the dentry being bound. */
function hasLockedChildren(state: State, path: Path): boolean {
  const mount = state.mounts[path.mnt];
  if (mount === undefined) return false;
  return mount.mnt_mounts.some((child) => {
    const childMount = state.mounts[child];
    if (childMount === undefined || !childMount.flags.locked || childMount.mnt_mountpoint === null) return false;
    let current: DentryId | null = childMount.mnt_mountpoint;
    while (current !== null) {
      if (current === path.dentry) return true;
      current = state.dentries[current]?.d_parent ?? null;
    }
    return false;
  });
}

/** fs/namespace.c: do_mount() -> path_mount(). */
export function checkMount(state: State, event: MountEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // do_mount(): user_path_at(dir_name, LOOKUP_FOLLOW) comes before any permission check
  const target = pathLookup(state, caller.task, event.target, { follow: true }, opts);
  if (!target.ok) return target;
  if (target.kind === 'proc-dir') return failure('ENOENT', 'model: procfs directories below /proc are not modelled');
  // path_mount(): !may_mount()
  if (!caller.task.caps.sysAdmin) return failure('EPERM', 'path_mount: !may_mount()');
  if (has(event.flags, 'MS_BIND')) return doLoopback(state, event, caller, target, opts);
  return doNewMount(state, event, caller, target);
}
