// open_tree(2): an O_PATH fd on the mount at a path or, with OPEN_TREE_CLONE, on a detached copy of
// it (AT_RECURSIVE: of its whole subtree) held in a new anonymous mount namespace; the last close
// of that fd dissolves the copy (dissolve_on_fput, model/internal/namespace.ts). Mirrors
// fs/namespace.c (6.18): vfs_open_tree(), open_detached_copy(), __do_loopback(), may_copy_tree(),
// check_anonymous_mnt() and __has_locked_children(); the path is resolved by lookupAt()
// (model/internal/namei.ts: user_path_at with a dirfd and AT_EMPTY_PATH).
// Leaves out: AT_SYMLINK_NOFOLLOW and AT_NO_AUTOMOUNT (the only symlinks are /proc's magic links,
// which open_tree follows by default; there are no automounts), OPEN_TREE_CLOEXEC (no exec),
// open_tree_attr(2) (mount_setattr on the new tree: see mount-setattr.ts), the ucount limit on
// anonymous namespaces and the fd limit (ENOSPC, EMFILE: out of reach of the model's traces),
// pidfs dentries as copy sources (no pidfds).
import type { OpenTreeEvent } from '../events.js';
import type { DentryId, FileId, MntNsId, MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { Draft, DraftState, File, Path, State } from '../state.js';
import { allocFileId, lowestFreeFd } from '../internal/alloc.js';
import { mayMount } from '../internal/capability.js';
import { checkMnt, isMounted, isSubdir } from '../internal/mount-tree.js';
import { lookupAt } from '../internal/namei.js';
import type { CopyPlanEntry } from '../internal/namespace.js';
import { addTreeToNs, allocMntNs, applyCopyTree, cloneMnt, planCopyTree } from '../internal/namespace.js';
import { nsGetDentry } from '../internal/nsfs.js';
import { dget, mntget, pathGet } from '../internal/refs.js';
import type { Caller, Checked } from './common.js';
import { currentTask, has } from './common.js';
import { mntNsOwner } from './mount.js';

/** get_unused_fd_flags() + fd_install() of a new struct file (f_count 1) in the caller's table. */
export function installFile(draft: DraftState, caller: Caller, make: (id: FileId) => Draft<File>): number {
  const id = allocFileId(draft);
  draft.files[id] = make(id);
  const table = draft.filesStructs[caller.task.files];
  if (table === undefined) return -1;
  const fd = lowestFreeFd(table.fdt);
  table.fdt[fd] = id;
  return fd;
}

/** dentry_open(path, O_PATH) with FMODE_NEED_UNMOUNT when the file owns a detached tree. */
export function installOPathFile(draft: DraftState, caller: Caller, path: Path, needUnmount: boolean): number {
  return installFile(draft, caller, (id) => ({
    kind: 'path',
    id,
    f_count: 1,
    f_path: { ...path },
    fmodePath: true,
    needUnmount,
  }));
}

/** fs/namespace.c: check_anonymous_mnt(): a mount of a detached tree made from the caller's namespace (or from none). */
export function checkAnonymousMnt(state: State, caller: Caller, id: MountId): boolean {
  const mount = state.mounts[id];
  const ns = mount?.mnt_ns === null || mount === undefined ? undefined : state.mntNamespaces[mount.mnt_ns];
  if (ns === undefined || !ns.anon) return false;
  return ns.seq_origin === 0 || ns.seq_origin === state.mntNamespaces[caller.task.mntNs]?.seq;
}

/**
 * fs/namespace.c: may_copy_tree(): a mount of the caller's namespace, an nsfs dentry (on any
 * mount: the loop rule is checked where the copy is attached), or (6.15+) a mount of a detached
 * tree that check_anonymous_mnt() accepts. Lazily unmounted mounts and other namespaces' mounts
 * cannot be copied.
 */
export function mayCopyTree(state: State, caller: Caller, path: Path): boolean {
  if (checkMnt(state.mounts[path.mnt], caller.task.mntNs)) return true;
  if (state.dentries[path.dentry]?.kind === 'nsfs') return true;
  if (!isMounted(state.mounts[path.mnt])) return false;
  return checkAnonymousMnt(state, caller, path.mnt);
}

/** fs/namespace.c: __has_locked_children(): a locked mount anywhere under the dentry being copied. */
export function hasLockedChildren(state: State, path: Path): boolean {
  const children = state.mounts[path.mnt]?.mnt_mounts ?? [];
  return children.some((child) => {
    const mount = state.mounts[child];
    return mount !== undefined && mount.flags.locked && mount.mnt_mountpoint !== null
      && isSubdir(state, mount.mnt_mountpoint, path.dentry);
  });
}

/** What __do_loopback() copies: the copy_tree() plan, or null for a single clone_mnt(). */
export interface LoopbackPlan {
  readonly plan: readonly CopyPlanEntry[] | null;
}

/**
 * fs/namespace.c: __do_loopback()'s checks, in order, for a copy of `old` (a path, or the nsfs
 * dentry of a namespace reached through /proc/<pid>/ns/mnt, on the internal nsfs mount).
 */
export function planDoLoopback(
  state: State,
  caller: Caller,
  old: Path | { readonly nsfs: MntNsId },
  recurse: boolean,
): LoopbackPlan | Failure {
  const oldMnt = state.mounts['nsfs' in old ? state.nsfsMnt : old.mnt];
  // __do_loopback(): IS_MNT_UNBINDABLE(old)
  if (oldMnt?.unbindable === true) return failure('EINVAL', '__do_loopback: IS_MNT_UNBINDABLE');
  // the nsfs dentry of /proc/<pid>/ns/mnt: may_copy_tree() accepts it, the internal nsfs mount
  // has no children to be locked, and copy_tree() of it clones its root alone
  if ('nsfs' in old) return { plan: null };
  // __do_loopback(): !may_copy_tree(old_path)
  if (!mayCopyTree(state, caller, old)) return failure('EINVAL', '__do_loopback: !may_copy_tree');
  // __do_loopback(): !recurse && __has_locked_children(old, old_path->dentry)
  if (!recurse && hasLockedChildren(state, old)) return failure('EINVAL', '__do_loopback: __has_locked_children');
  if (!recurse) return { plan: null };
  // copy_tree(old, old_path->dentry, CL_COPY_MNT_NS_FILE)
  const copy = planCopyTree(state, old.mnt, old.dentry, { copyUnbindable: false, copyMntNsFile: true });
  if (!copy.ok) return failure(copy.errno, copy.check);
  return { plan: copy.entries };
}

/**
 * open_detached_copy(): seq_origin records where the tree came from (the source's namespace, that
 * namespace's own origin if it is anonymous, 0 when the source is in no namespace), for
 * check_anonymous_mnt().
 */
function seqOrigin(state: State, mnt: MountId): number {
  const mount = state.mounts[mnt];
  if (!isMounted(mount) || mount?.mnt_ns == null) return 0;
  const ns = state.mntNamespaces[mount.mnt_ns];
  if (ns === undefined) return 0;
  return ns.anon ? ns.seq_origin : ns.seq;
}

/** fs/namespace.c: open_detached_copy(): copy into a new anonymous namespace, O_PATH fd on its root. */
function openDetachedCopy(
  state: State,
  caller: Caller,
  old: Path | { readonly nsfs: MntNsId },
  recurse: boolean,
  opts: ModelOptions,
): Checked {
  const loopback = planDoLoopback(state, caller, old, recurse);
  if ('ok' in loopback) return loopback;
  const owner = mntNsOwner(state, caller); // current->nsproxy->mnt_ns->user_ns
  const origin = seqOrigin(state, 'nsfs' in old ? state.nsfsMnt : old.mnt);
  return (draft) => {
    const ns = allocMntNs(draft, owner, true);
    // the lookup's dentry reference: an nsfs dentry is instantiated (or found stashed) here
    const dentry: DentryId = 'nsfs' in old ? nsGetDentry(draft, old.nsfs, opts) : old.dentry;
    const tree = loopback.plan !== null
      ? applyCopyTree(draft, loopback.plan)
      : [cloneMnt(draft, 'nsfs' in old ? draft.nsfsMnt : old.mnt, dentry)];
    const root = tree[0] as MountId;
    addTreeToNs(draft, tree, ns);
    const namespace = draft.mntNamespaces[ns];
    if (namespace !== undefined) {
      namespace.root = root;
      namespace.seq_origin = origin;
    }
    // the file holds the copy's root: mntget() here, and the lookup's dentry reference moves to it
    mntget(draft, root);
    if (!('nsfs' in old)) dget(draft, dentry);
    return success(installOPathFile(draft, caller, { mnt: root, dentry }, true));
  };
}

/** fs/namespace.c: open_tree() -> vfs_open_tree(). */
export function checkOpenTree(state: State, event: OpenTreeEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const detached = has(event.flags, 'OPEN_TREE_CLONE');
  const recurse = has(event.flags, 'AT_RECURSIVE');
  // vfs_open_tree(): (flags & (AT_RECURSIVE | OPEN_TREE_CLONE)) == AT_RECURSIVE
  if (recurse && !detached) return failure('EINVAL', 'vfs_open_tree: AT_RECURSIVE without OPEN_TREE_CLONE');
  // vfs_open_tree(): detached && !may_mount()
  if (detached && !mayMount(state, caller.task)) return failure('EPERM', 'vfs_open_tree: !may_mount()');
  // vfs_open_tree(): user_path_at(dfd, filename, LOOKUP_FOLLOW | LOOKUP_AUTOMOUNT [| LOOKUP_EMPTY])
  const empty = has(event.flags, 'AT_EMPTY_PATH');
  const found = lookupAt(state, caller.task, event.dfd, event.path, { follow: true, empty }, opts);
  if (!found.ok) return found;
  if (found.kind === 'proc-dir' || found.kind === 'proc-link') {
    return failure('ENOENT', 'model: procfs directories below /proc are not modelled');
  }
  const old = found.kind === 'nsfs' ? { nsfs: found.ns } : found.path;
  if (detached) return openDetachedCopy(state, caller, old, recurse, opts);
  // vfs_open_tree(): dentry_open(&path, O_PATH): any mount, in any namespace or none
  return (draft) => {
    if ('nsfs' in old) {
      // proc_ns_get_link() -> ns_get_path(): the file owns the dentry and an nsfs_mnt reference
      const dentry = nsGetDentry(draft, old.nsfs, opts);
      mntget(draft, draft.nsfsMnt);
      return success(installOPathFile(draft, caller, { mnt: draft.nsfsMnt, dentry }, false));
    }
    pathGet(draft, old);
    return success(installOPathFile(draft, caller, old, false));
  };
}
