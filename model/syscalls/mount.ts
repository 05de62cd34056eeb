// mount(2): a new filesystem (tmpfs or procfs, each mount its own superblock), bind mounts (MS_BIND,
// MS_BIND|MS_REC), propagation changes (MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE, with or
// without MS_REC), moves (MS_MOVE) and remounts (MS_REMOUNT, MS_REMOUNT|MS_BIND). Mirrors
// fs/namespace.c: path_mount() dispatch, do_new_mount(), do_add_mount(), do_loopback(),
// __do_loopback(), may_copy_tree(), lock_mount(), graft_tree(), do_change_type(),
// may_change_propagation(), do_move_mount_old(), and the loop rule mnt_ns_loop(). The target is
// resolved before the capability check, as do_mount() does, so an unprivileged caller gets ENOENT
// for a missing target. Attaching (and propagating) is model/internal/attach.ts.
// Leaves out here: filesystem mount options (data), atime flags, MS_NOSYMFOLLOW, and the
// fs.mount-max limit (ENOSPC; its default of 100000 mounts is out of reach of the model's traces).
import type { MountEvent, MountFlag, PropagationType } from '../events.js';
import { PROPAGATION_TYPES } from '../events.js';
import type { DentryId, MntNsId, MountId, UserNsId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { MountFlags, Path, State } from '../state.js';
import { allocMount, allocSuperBlock, NO_FLAGS } from '../internal/alloc.js';
import { attachRecursiveMnt, planAttach } from '../internal/attach.js';
import { mayMount, nsCapable, pidNsOwner } from '../internal/capability.js';
import { checkMnt, followMounts, isMounted, pathMounted, subtree } from '../internal/mount-tree.js';
import type { Lookup } from '../internal/namei.js';
import { pathLookup } from '../internal/namei.js';
import { applyCopyTree, cloneMnt } from '../internal/namespace.js';
import { changeMntPropagation, inventGroupIds, trackedView } from '../internal/pnode.js';
import { mntNsLoop, mntNsOfDentry, nsGetDentry } from '../internal/nsfs.js';
import { dput } from '../internal/refs.js';
import type { Caller, Checked } from './common.js';
import { doMoveMount } from './move-mount.js';
import { doReconfigureMnt, doRemount, requestedFlags } from './remount.js';
import { planDoLoopback } from './open-tree.js';
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

/** The owner of the caller's mount namespace (current->nsproxy->mnt_ns->user_ns). */
export function mntNsOwner(state: State, caller: Caller): UserNsId {
  return state.mntNamespaces[caller.task.mntNs]?.user_ns ?? caller.task.userNs;
}


/** fs/namespace.c: do_new_mount() and do_add_mount(). */
function doNewMount(state: State, event: MountEvent, caller: Caller, target: Lookup & { ok: true }, opts: ModelOptions): Checked {
  // do_new_mount(): !fstype (a NULL pointer; "" is a name get_fs_type() does not know)
  if (event.fstype === null) return failure('EINVAL', 'do_new_mount: no fstype');
  // do_new_mount(): get_fs_type()
  const fstype = event.fstype;
  if (fstype !== 'tmpfs' && fstype !== 'proc') return failure('ENODEV', 'get_fs_type: unknown filesystem type');
  // fs_context_for_mount(): fc->user_ns is the caller's user namespace (procfs: its pid namespace's owner)
  const fcUserNs = fstype === 'proc' ? pidNsOwner(state, caller.task.userNs) : caller.task.userNs;
  // do_new_mount(): !mount_capable(fc): CAP_SYS_ADMIN over fc->user_ns (both are FS_USERNS_MOUNT)
  if (!nsCapable(state, caller.task, fcUserNs, 'sysAdmin')) return failure('EPERM', 'do_new_mount: !mount_capable(fc)');
  const where = lockMount(state, target);
  if ('ok' in where) return where;
  const parent = state.mounts[where.mnt];
  // do_add_mount(): !check_mnt(parent)
  if (!checkMnt(parent, caller.task.mntNs)) return failure('EINVAL', 'do_add_mount: !check_mnt(parent)');
  // do_add_mount() refuses the same superblock on the same mountpoint (EBUSY); vfs_get_tree() gave
  // this mount a new superblock (tmpfs, and procfs's get_tree_nodev() since 5.8), so it never is.
  // graft_tree(): d_is_dir(mountpoint) != d_is_dir(root)
  if (!isDir(state, where.dentry)) return failure('ENOTDIR', 'graft_tree: mounting a directory on a non-directory');
  // graft_tree() -> attach_recursive_mnt(): a fresh filesystem root is never an nsfs dentry
  const attach = planAttach(state, false, where, mntNsOwner(state, caller), opts);
  if ('ok' in attach) return attach;
  const flags: MountFlags = { ...NO_FLAGS, ...requestedFlags(event.flags) }; // path_mount(): MS_RDONLY -> MNT_READONLY, ...
  return (draft) => {
    const sb = allocSuperBlock(draft, fstype, fcUserNs);
    const superBlock = draft.superBlocks[sb];
    if (superBlock === undefined) return success(-1);
    superBlock.s_active++;
    if (flags.readonly) superBlock.sb_rdonly = true; // SB_RDONLY of the new superblock
    const mount = allocMount(draft, sb, superBlock.s_root, flags);
    attachRecursiveMnt(draft, mount, attach, opts);
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
  // __do_loopback(): IS_MNT_UNBINDABLE, may_copy_tree, __has_locked_children, copy_tree
  const loopback = planDoLoopback(state, caller, source.path ?? { nsfs: source.ns }, recurse);
  if ('ok' in loopback) return loopback;
  const plan = loopback.plan;
  // graft_tree(): d_is_dir(mountpoint) != d_is_dir(root)
  const sourceIsDir = source.path !== null && isDir(state, source.path.dentry);
  if (sourceIsDir !== isDir(state, where.dentry)) {
    return failure('ENOTDIR', 'graft_tree: directory and non-directory');
  }
  // graft_tree() -> attach_recursive_mnt() -> propagate_mnt()
  const sourceIsNsfs = source.path === null || state.dentries[source.path.dentry]?.kind === 'nsfs';
  const attach = planAttach(state, sourceIsNsfs, where, mntNsOwner(state, caller), opts);
  if ('ok' in attach) return attach;
  return (draft) => {
    if (source.path === null) {
      const dentry = nsGetDentry(draft, source.ns, opts); // kern_path(): ns_get_path()
      const mount = cloneMnt(draft, draft.nsfsMnt, dentry);
      attachRecursiveMnt(draft, mount, attach, opts);
      dput(draft, dentry, opts); // path_put(&old_path)
      return success(0);
    }
    const tree = plan !== null ? applyCopyTree(draft, plan) : [cloneMnt(draft, source.path.mnt, source.path.dentry)];
    attachRecursiveMnt(draft, tree[0] as MountId, attach, opts);
    return success(0);
  };
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
  if (!mayMount(state, caller.task)) return failure('EPERM', 'path_mount: !may_mount()');
  const flags = event.flags;
  if (has(flags, 'MS_REMOUNT')) {
    return has(flags, 'MS_BIND')
      ? doReconfigureMnt(state, event, caller, target, opts)
      : doRemount(state, event, caller, target, opts);
  }
  if (has(flags, 'MS_BIND')) return doLoopback(state, event, caller, target, opts);
  if (PROPAGATION_TYPES.some((type) => has(flags, type))) return doChangeType(state, event, caller, target, opts);
  if (has(flags, 'MS_MOVE')) return doMoveMountOld(state, event, caller, target, opts);
  return doNewMount(state, event, caller, target, opts);
}

/** fs/namespace.c: flags_to_propagation_type(): exactly one propagation flag, plus MS_REC at most. */
function flagsToPropagationType(flags: readonly MountFlag[]): PropagationType | null {
  const types = PROPAGATION_TYPES.filter((type) => has(flags, type));
  const others = flags.filter((flag) => flag !== 'MS_REC' && !(PROPAGATION_TYPES as readonly string[]).includes(flag));
  if (others.length > 0 || types.length !== 1) return null;
  return types[0] ?? null;
}

/** fs/namespace.c: do_change_type(): mount --make-{shared,slave,private,unbindable}[,r]. */
function doChangeType(
  state: State,
  event: MountEvent,
  caller: Caller,
  target: Lookup & { ok: true },
  opts: ModelOptions,
): Checked {
  if (target.kind !== 'path') return failure('EINVAL', 'do_change_type: !path_mounted()');
  const path = target.path;
  // do_change_type(): !path_mounted(path)
  if (!pathMounted(state, path)) return failure('EINVAL', 'do_change_type: !path_mounted()');
  // do_change_type(): flags_to_propagation_type()
  const type = flagsToPropagationType(event.flags);
  if (type === null) return failure('EINVAL', 'do_change_type: not exactly one propagation type');
  const mount = state.mounts[path.mnt];
  // may_change_propagation(): !is_mounted(&m->mnt)
  if (!isMounted(mount) && opts.bug !== 'change-type-on-detached') {
    return failure('EINVAL', 'may_change_propagation: not mounted');
  }
  // may_change_propagation(): !ns_capable(ns->user_ns, CAP_SYS_ADMIN)
  const ns = mount?.mnt_ns === null || mount === undefined ? undefined : state.mntNamespaces[mount.mnt_ns];
  if (ns !== undefined && !nsCapable(state, caller.task, ns.user_ns, 'sysAdmin')) {
    return failure('EPERM', 'may_change_propagation: !ns_capable(CAP_SYS_ADMIN)');
  }
  const recurse = has(event.flags, 'MS_REC');
  return (draft) => {
    if (type === 'MS_SHARED') inventGroupIds(draft, path.mnt, recurse);
    const view = trackedView(draft);
    for (const id of recurse ? subtree(draft, path.mnt) : [path.mnt]) changeMntPropagation(draft, id, type, view);
    return success(0);
  };
}

/** fs/namespace.c: do_move_mount_old(): mount(2) with MS_MOVE. */
function doMoveMountOld(
  state: State,
  event: MountEvent,
  caller: Caller,
  target: Lookup & { ok: true },
  opts: ModelOptions,
): Checked {
  // do_move_mount_old(): !old_name || !*old_name
  if (event.source === null || event.source === '') return failure('EINVAL', 'do_move_mount_old: no source');
  // do_move_mount_old(): kern_path(old_name, LOOKUP_FOLLOW)
  const old = pathLookup(state, caller.task, event.source, { follow: true }, opts);
  if (!old.ok) return old;
  if (old.kind !== 'path' || target.kind !== 'path') {
    return failure('EINVAL', 'do_move_mount: !path_mounted(old_path)');
  }
  return doMoveMount(state, caller, old.path, target.path, false, opts);
}
