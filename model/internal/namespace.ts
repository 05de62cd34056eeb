// Mount namespaces: creation, copying (copy_mnt_ns) and the final put that tears a tree down.
import type { DentryId, FsStructId, MntNsId, MountId, PeerGroupId, SuperBlockId, UserNsId } from '../ids.js';
import { mntNsId, peerGroupId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { DraftState, Mount, MountFlags, State } from '../state.js';
import { allocMount } from './alloc.js';
import { lockFlags } from './mount-flags.js';
import { attachMnt, isSubdir } from './mount-tree.js';
import { dget, mntget, mntput } from './refs.js';
import { namespaceUnlock, umountTree } from './umount-tree.js';

/** alloc_mnt_ns(): a namespace with one reference; `root` is filled in by the caller. */
export function allocMntNs(draft: DraftState, userNs: UserNsId, anon: boolean): MntNsId {
  const id = mntNsId(draft.next.mntNs++);
  draft.mntNamespaces[id] = {
    id,
    seq: anon ? 0 : draft.next.nsSeq++,
    root: 0 as MountId,
    count: 1,
    nr_mounts: 0,
    stashed: null,
    user_ns: userNs,
    anon,
    seq_origin: 0,
  };
  return id;
}

/** get_mnt_ns(). */
export function getMntNs(draft: DraftState, id: MntNsId): void {
  const ns = draft.mntNamespaces[id];
  if (ns !== undefined) ns.count++;
}

/** put_mnt_ns(): the last reference unmounts the whole tree (umount_tree(root, 0)) and frees it. */
export function putMntNs(draft: DraftState, id: MntNsId, opts: ModelOptions): void {
  const ns = draft.mntNamespaces[id];
  if (ns === undefined) return;
  ns.count--;
  if (ns.count > 0) return;
  const unmounted = umountTree(draft, ns.root, {});
  delete draft.mntNamespaces[id]; // free_mnt_ns() runs before the mntputs in namespace_unlock()
  namespaceUnlock(draft, unmounted, opts);
}

/** anon_ns_root(): the mount is the root of an anonymous namespace (an undissolved detached tree). */
export function anonNsRoot(state: State, id: MountId): boolean {
  const mount = state.mounts[id];
  if (mount === undefined || mount.mnt_ns === null) return false;
  const ns = state.mntNamespaces[mount.mnt_ns];
  return ns !== undefined && ns.anon && ns.root === id;
}

/**
 * fs/namespace.c: dissolve_on_fput(): the last fput of an open_tree(OPEN_TREE_CLONE) or fsmount()
 * file whose mount is still the root of its anonymous namespace empties that namespace with
 * umount_tree(UMOUNT_CONNECTED) and frees it. Once the tree was attached, nothing happens.
 */
export function dissolveOnFput(draft: DraftState, id: MountId, opts: ModelOptions): void {
  if (!anonNsRoot(draft, id)) return;
  const nsId = draft.mounts[id]?.mnt_ns;
  if (nsId === undefined || nsId === null) return;
  const unmounted = umountTree(draft, id, { connected: true }, opts);
  delete draft.mntNamespaces[nsId]; // free_mnt_ns(): the emptied anonymous namespace
  namespaceUnlock(draft, unmounted, opts);
}

export interface CopyTreeFlags {
  readonly copyUnbindable: boolean; // CL_COPY_UNBINDABLE
  readonly copyMntNsFile: boolean; // CL_COPY_MNT_NS_FILE
}

/** The clone_mnt() flags that decide the propagation state of a copy. */
export interface CloneFlags {
  readonly slave?: boolean; // CL_SLAVE: a slave of the mount it copies
  readonly private?: boolean; // CL_PRIVATE: neither shared nor slave
  readonly makeShared?: boolean; // CL_MAKE_SHARED: a peer of the mount it copies (or a new group)
  readonly sharedToSlave?: boolean; // CL_SHARED_TO_SLAVE: a shared original gets a slave copy
}

/** One mount to clone in a copy_tree() plan; `parent` indexes an earlier entry (-1: the root). */
export interface CopyPlanEntry {
  readonly source: MountId;
  /** What clone_mnt() reads of the source, taken when the plan is made. */
  readonly from: CloneSource;
  readonly root: DentryId;
  readonly parent: number;
  readonly mountpoint: DentryId | null;
  readonly locked: boolean;
}

export type CopyPlan =
  | { readonly ok: true; readonly entries: readonly CopyPlanEntry[] }
  | { readonly ok: false; readonly errno: 'EINVAL' | 'EPERM'; readonly check: string };

/** is_mnt_ns_file(): the dentry is a mount namespace's nsfs file. */
export function isMntNsFile(state: State, dentry: DentryId): boolean {
  return state.dentries[dentry]?.kind === 'nsfs';
}

/**
 * fs/namespace.c: copy_tree(), as a plan computed from the unchanged state: which mounts are
 * cloned, which subtrees are skipped (nsfs mounts without CL_COPY_MNT_NS_FILE, unbindable ones
 * without CL_COPY_UNBINDABLE) and whether the copy fails.
 */
export function planCopyTree(
  state: State,
  sourceRoot: MountId,
  dentry: DentryId,
  flags: CopyTreeFlags,
): CopyPlan {
  const root = state.mounts[sourceRoot];
  if (root === undefined) return { ok: false, errno: 'EINVAL', check: 'copy_tree: no source' };
  if (!flags.copyUnbindable && root.unbindable) {
    return { ok: false, errno: 'EINVAL', check: 'copy_tree: IS_MNT_UNBINDABLE(src_root)' };
  }
  if (!flags.copyMntNsFile && isMntNsFile(state, dentry)) {
    return { ok: false, errno: 'EINVAL', check: 'copy_tree: is_mnt_ns_file(dentry)' };
  }
  const entries: CopyPlanEntry[] = [
    { source: sourceRoot, from: cloneSource(root), root: dentry, parent: -1, mountpoint: null, locked: false },
  ];
  const visit = (source: MountId, parentIndex: number): CopyPlan | null => {
    const mount = state.mounts[source];
    if (mount === undefined) return null;
    if (!flags.copyUnbindable && mount.unbindable) {
      if (mount.flags.locked) {
        return { ok: false, errno: 'EPERM', check: 'copy_tree: unbindable MNT_LOCKED child' };
      }
      return null; // skip_mnt_tree()
    }
    if (!flags.copyMntNsFile && isMntNsFile(state, mount.mnt_root)) return null;
    entries.push({
      source,
      from: cloneSource(mount),
      root: mount.mnt_root,
      parent: parentIndex,
      mountpoint: mount.mnt_mountpoint,
      locked: mount.flags.locked,
    });
    const index = entries.length - 1;
    for (const child of mount.mnt_mounts) {
      const failed = visit(child, index);
      if (failed !== null) return failed;
    }
    return null;
  };
  for (const child of root.mnt_mounts) {
    const mountpoint = state.mounts[child]?.mnt_mountpoint;
    if (mountpoint === undefined || mountpoint === null) continue;
    if (!isSubdir(state, mountpoint, dentry)) continue;
    const failed = visit(child, 0);
    if (failed !== null) return failed;
  }
  return { ok: true, entries };
}

/**
 * fs/namespace.c: clone_mnt(): a new mount of the same superblock rooted at `root`. With no flags
 * it is a peer of `old` if that is shared and a slave of its master if it is a slave. MNT_LOCKED
 * is an internal flag and is not copied; neither is T_UNBINDABLE (6.17+ keeps it in mnt_t_flags,
 * which clone_mnt() does not copy: an unbindable mount's copy is bindable).
 */
export function cloneMnt(draft: DraftState, old: MountId, root: DentryId, flags: CloneFlags = {}): MountId {
  const source = draft.mounts[old];
  if (source === undefined) throw new Error(`clone_mnt: no mount ${old}`);
  return cloneFrom(draft, cloneSource(source), root, flags);
}

/** The fields of a source mount that clone_mnt() copies. */
export interface CloneSource {
  readonly id: MountId;
  readonly sb: SuperBlockId;
  readonly flags: MountFlags;
  readonly group: PeerGroupId | null;
  readonly master: MountId | null;
}

function cloneSource(mount: Mount): CloneSource {
  return { id: mount.id, sb: mount.mnt_sb, flags: mount.flags, group: mount.mnt_group_id, master: mount.mnt_master };
}

function cloneFrom(draft: DraftState, source: CloneSource, root: DentryId, clone: CloneFlags): MountId {
  const flags: MountFlags = { ...source.flags, locked: false };
  const id = allocMount(draft, source.sb, root, flags);
  const copy = draft.mounts[id];
  const sb = draft.superBlocks[source.sb];
  if (sb !== undefined) sb.s_active++;
  dget(draft, root);
  if (copy === undefined) return id;
  const shared = source.group !== null;
  // not a peer of the original
  copy.mnt_group_id = clone.slave || clone.private || clone.sharedToSlave ? null : source.group;
  if (clone.slave || (clone.sharedToSlave && shared)) {
    copy.mnt_master = source.id;
  } else if (!clone.private) {
    if (clone.makeShared || shared) copy.mnt_group_id = source.group;
    copy.mnt_master = source.master;
  }
  if (clone.makeShared && copy.mnt_group_id === null) copy.mnt_group_id = peerGroupId(draft.next.peerGroup++);
  return id;
}

/** Carry out a copy_tree() plan; returns the copies, in plan order (the root first). */
export function applyCopyTree(draft: DraftState, plan: readonly CopyPlanEntry[], clone: CloneFlags = {}): MountId[] {
  const copies: MountId[] = [];
  for (const entry of plan) {
    const copy = cloneFrom(draft, entry.from, entry.root, clone);
    copies.push(copy);
    if (entry.parent >= 0 && entry.mountpoint !== null) {
      const mount = draft.mounts[copy];
      if (mount !== undefined && entry.locked) mount.flags.locked = true;
      attachMnt(draft, copy, copies[entry.parent] as MountId, entry.mountpoint);
    }
  }
  return copies;
}

/**
 * fs/namespace.c: lock_mnt_tree(): a tree entering a namespace owned by a less privileged user
 * namespace gets every flag it has locked, and every mount but its root MNT_LOCKED, so that
 * nothing under a mount can be revealed from there.
 */
export function lockMntTree(draft: DraftState, tree: readonly MountId[]): void {
  tree.forEach((id, index) => {
    const mount = draft.mounts[id];
    if (mount === undefined) return;
    mount.flags = lockFlags(mount.flags);
    if (index > 0) mount.flags.locked = true;
  });
}

/** Put every mount of a freshly built tree into a namespace (mnt_add_to_ns + nr_mounts). */
export function addTreeToNs(draft: DraftState, mounts: readonly MountId[], ns: MntNsId): void {
  const namespace = draft.mntNamespaces[ns];
  for (const id of mounts) {
    const mount = draft.mounts[id];
    if (mount === undefined) continue;
    mount.mnt_ns = ns;
    if (namespace !== undefined) namespace.nr_mounts++;
  }
}

/**
 * fs/namespace.c: copy_mnt_ns() for CLONE_NEWNS: copy the whole tree (CL_COPY_UNBINDABLE |
 * CL_EXPIRE, without CL_COPY_MNT_NS_FILE: nsfs bind mounts and what is under them are dropped),
 * then move `fsId`'s root and pwd onto the copies of the mounts they were on.
 */
export function planMntNsCopy(state: State, old: MntNsId, userNs: UserNsId, opts: ModelOptions): MntNsCopyPlan {
  const oldNs = state.mntNamespaces[old];
  if (oldNs === undefined) throw new Error(`copy_mnt_ns: no namespace ${old}`);
  const oldRoot = state.mounts[oldNs.root];
  if (oldRoot === undefined) throw new Error(`copy_mnt_ns: no root mount ${oldNs.root}`);
  const plan = planCopyTree(state, oldNs.root, oldRoot.mnt_root, {
    copyUnbindable: true,
    copyMntNsFile: opts.bug === 'copy-mnt-ns-keeps-nsfs',
  });
  if (!plan.ok) throw new Error(`copy_mnt_ns: ${plan.check}`);
  return { userNs, unprivileged: userNs !== oldNs.user_ns, entries: plan.entries };
}

/** What copy_mnt_ns() will copy, planned by the check on the unchanged state. */
export interface MntNsCopyPlan {
  /** The owner of the new namespace: the caller's user namespace (a new one with CLONE_NEWUSER). */
  readonly userNs: UserNsId;
  /** CL_SHARED_TO_SLAVE | CL_UNPRIVILEGED: the copy is owned by another user namespace. */
  readonly unprivileged: boolean;
  readonly entries: readonly CopyPlanEntry[];
}

export function copyMntNs(
  draft: DraftState,
  copyPlan: MntNsCopyPlan,
  fsId: FsStructId,
  opts: ModelOptions,
): MntNsId {
  const plan = copyPlan;
  const ns = allocMntNs(draft, copyPlan.userNs, false);
  // CL_COPY_UNBINDABLE | CL_EXPIRE, plus CL_SHARED_TO_SLAVE | CL_UNPRIVILEGED for another owner
  const copies = applyCopyTree(draft, plan.entries, { sharedToSlave: plan.unprivileged });
  if (plan.unprivileged) lockMntTree(draft, copies);
  const namespace = draft.mntNamespaces[ns];
  if (namespace !== undefined) namespace.root = copies[0] as MountId;
  addTreeToNs(draft, copies, ns);
  const fs = draft.fsStructs[fsId];
  if (fs !== undefined) {
    const released: MountId[] = [];
    plan.entries.forEach((entry, index) => {
      const copy = copies[index] as MountId;
      if (fs.root.mnt === entry.source) {
        mntget(draft, copy);
        fs.root = { mnt: copy, dentry: fs.root.dentry };
        released.push(entry.source);
      }
      if (fs.pwd.mnt === entry.source) {
        mntget(draft, copy);
        fs.pwd = { mnt: copy, dentry: fs.pwd.dentry };
        released.push(entry.source);
      }
    });
    for (const mount of released) mntput(draft, mount, opts);
  }
  return ns;
}
