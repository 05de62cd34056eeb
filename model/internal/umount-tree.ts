// umount_tree(): the single teardown primitive, used by umount2 (UMOUNT_PROPAGATE, with
// UMOUNT_SYNC unless lazy), by put_mnt_ns() (no flags), and by detach_mounts() (UMOUNT_CONNECTED).
// The tree references of disconnected mounts are dropped afterwards, in namespace_unlock().
import type { DentryId, MntNsId, MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { DraftState } from '../state.js';
import { attachMnt, isUnmounted, lookupMnt, mountsOn, subtree, umountMnt } from './mount-tree.js';
import { changeMntPropagation, overmount, propagateMountUnlock, propagationReceivers, trackedView } from './pnode.js';
import { mntput } from './refs.js';

export interface UmountHow {
  readonly propagate?: boolean; // UMOUNT_PROPAGATE
  readonly sync?: boolean; // UMOUNT_SYNC: not lazy; everything is disconnected
  readonly connected?: boolean; // UMOUNT_CONNECTED: leave non-top mounts attached to their parents
}

/** fs/namespace.c: disconnect_mount(); `umounting` holds every mount marked MNT_UMOUNT. */
function disconnectMount(draft: DraftState, id: MountId, how: UmountHow, umounting: ReadonlySet<MountId>): boolean {
  const mount = draft.mounts[id];
  if (mount === undefined) return true;
  if (how.sync) return true; // leaving mounts connected is only valid for lazy umounts
  if (mount.mnt_parent === null) return true; // nothing to be connected to
  const parentGoing = umounting.has(mount.mnt_parent) || isUnmounted(draft.mounts[mount.mnt_parent]);
  if (!parentGoing) return true; // never connected to a mounted mount
  if (how.connected) return false;
  if (mount.flags.locked) return false; // a locked mount stays with its parent
  return true;
}

/**
 * fs/namespace.c: umount_tree(). With UMOUNT_PROPAGATE the copies of the tree's mounts in the
 * receivers of their parents go too, where nothing keeps them (propagate_umount()). Every mount
 * unmounted becomes private. Returns the mounts whose tree reference namespaceUnlock() must drop.
 */
export function umountTree(
  draft: DraftState,
  root: MountId,
  how: UmountHow,
  opts: ModelOptions = {},
): MountId[] {
  if (how.propagate) propagateMountUnlock(draft, root);
  const victims = subtree(draft, root);
  const umounting = new Set<MountId>(victims);
  const all = how.propagate ? [...victims, ...propagateUmount(draft, victims, umounting)] : victims;
  // bulk_make_private()
  const view = trackedView(draft);
  for (const id of all) changeMntPropagation(draft, id, 'MS_PRIVATE', view);
  const kept = new Map<MountId, MntNsId>();
  const unmounted: MountId[] = [];
  for (const id of all) {
    const mount = draft.mounts[id];
    if (mount === undefined) continue;
    if (mount.mnt_ns !== null) {
      const ns = draft.mntNamespaces[mount.mnt_ns];
      if (ns !== undefined) ns.nr_mounts--;
      if (opts.bug === 'umount-tree-keeps-mnt-ns' && how.propagate && !how.sync) kept.set(id, mount.mnt_ns);
      mount.mnt_ns = null;
    }
    const disconnect = disconnectMount(draft, id, how, umounting);
    if (disconnect && mount.mnt_parent !== null) umountMnt(draft, id, opts);
    if (disconnect) unmounted.push(id);
  }
  // Seeded bug: the lazily unmounted mounts keep pointing at the namespace they left.
  for (const [id, ns] of kept) {
    const mount = draft.mounts[id];
    const namespace = draft.mntNamespaces[ns];
    if (mount === undefined || namespace === undefined) continue;
    mount.mnt_ns = ns;
    namespace.nr_mounts++;
  }
  return unmounted;
}

/**
 * fs/pnode.c: propagate_umount() (the 6.16 algorithm, Documentation/filesystems/propagate_umount.txt).
 * Candidates are the mounts at the same mountpoint in every receiver of a removed mount's parent.
 * A candidate goes if nothing but mounts going away (or one mount covering it whole, which then
 * slides down into its place) sits on it, and a locked one only together with its parent.
 * `umounting` (MNT_UMOUNT) grows by what is added; the additions are returned in order.
 */
function propagateUmount(draft: DraftState, set: readonly MountId[], umounting: Set<MountId>): MountId[] {
  const candidate = new Set<MountId>(); // T_UMOUNT_CANDIDATE
  const marked = new Set<MountId>(); // T_MARKED
  let candidates: MountId[] = [];
  const toUmount: MountId[] = [];
  const parentOf = (id: MountId): MountId | null => draft.mounts[id]?.mnt_parent ?? null;
  const visibleChildren = (id: MountId): MountId[] =>
    (draft.mounts[id]?.mnt_mounts ?? []).filter((child) => !umounting.has(child));
  // gather_candidates()
  const view = trackedView(draft);
  for (const id of set) {
    if (candidate.has(id)) continue;
    candidate.add(id);
    const mount = draft.mounts[id];
    if (mount === undefined || mount.mnt_parent === null || mount.mnt_mountpoint === null) continue;
    for (const receiver of propagationReceivers(draft, mount.mnt_parent, view)) {
      const child = lookupMnt(draft, receiver, mount.mnt_mountpoint);
      if (child === null || candidate.has(child)) continue;
      candidate.add(child);
      if (!umounting.has(child)) candidates.unshift(child);
    }
  }
  for (const id of set) candidate.delete(id);
  const removeCandidate = (id: MountId): void => {
    candidate.delete(id);
    marked.delete(id);
    candidates = candidates.filter((other) => other !== id);
  };
  const umountOne = (id: MountId): void => {
    umounting.add(id);
    toUmount.push(id);
  };
  // trim_ancestors(): a child that stays keeps every candidate above it that it does not cover whole.
  const trimAncestors = (start: MountId): void => {
    let mount = start;
    for (let parent = parentOf(mount); parent !== null && candidate.has(parent); mount = parent, parent = parentOf(parent)) {
      if (marked.has(mount)) return;
      marked.add(mount);
      if (mount !== overmount(draft, parent)) candidate.delete(parent);
    }
  };
  // trim_one()
  for (const id of [...candidates]) {
    if (!candidate.has(id)) {
      removeCandidate(id);
      continue;
    }
    let found = false;
    let removeThis = false;
    let umountThis = false;
    const children = visibleChildren(id);
    for (const child of children) {
      if (candidate.has(child)) continue;
      found = true;
      if (child !== overmount(draft, id)) {
        removeThis = true;
        break;
      }
    }
    if (found) trimAncestors(id);
    else if (draft.mounts[id]?.flags.locked !== true && children.length === 0) removeThis = umountThis = true;
    if (removeThis) {
      removeCandidate(id);
      if (umountThis) umountOne(id);
    }
  }
  // handle_locked(): what is left goes only with everything up to an unlocked ancestor.
  while (candidates.length > 0) {
    const first = candidates[0] as MountId;
    if (!candidate.has(first)) {
      removeCandidate(first);
      continue;
    }
    let cutoff: MountId | null = first;
    let mount: MountId | null = first;
    for (; mount !== null && candidate.has(mount); mount = parentOf(mount)) {
      removeCandidate(mount);
      if (draft.mounts[mount]?.flags.locked !== true) cutoff = parentOf(mount);
    }
    if (mount !== null && umounting.has(mount)) cutoff = mount;
    for (let going: MountId | null = first; going !== null && going !== cutoff; going = parentOf(going)) umountOne(going);
  }
  // reparent(): a mount covering one that goes slides down into its place.
  for (const id of toUmount) {
    const cover = overmount(draft, id);
    if (cover === null || umounting.has(cover)) continue;
    let mountpoint: DentryId | null = null;
    let parent: MountId | null = cover;
    do {
      mountpoint = draft.mounts[parent]?.mnt_mountpoint ?? null;
      parent = parentOf(parent);
    } while (parent !== null && umounting.has(parent));
    if (parent === null || mountpoint === null) continue;
    umountMnt(draft, cover);
    attachMnt(draft, cover, parent, mountpoint);
  }
  return toUmount;
}

/** namespace_unlock(): drop the tree reference of every mount umount_tree() disconnected. */
export function namespaceUnlock(
  draft: DraftState,
  unmounted: readonly MountId[],
  opts: ModelOptions,
  lazy = false,
): void {
  for (const id of unmounted) {
    const mount = draft.mounts[id];
    if (lazy && opts.bug === 'lazy-umount-frees-held-mounts' && mount !== undefined) {
      mount.mnt_count = 1; // seeded bug: free the mount whatever still holds it
    }
    mntput(draft, id, opts);
  }
}

/**
 * fs/namespace.c: __detach_mounts(): the dentry is gone (rmdir or unlink from a namespace where it
 * was not a mountpoint), so every mount on it, in any namespace, is lazily unmounted with its
 * children left connected (UMOUNT_CONNECTED); an already unmounted one is just disconnected.
 */
export function detachMounts(draft: DraftState, dentry: DentryId, opts: ModelOptions): void {
  const unmounted: MountId[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    const next = mountsOn(draft, dentry)[0];
    if (next === undefined) break;
    if (isUnmounted(draft.mounts[next])) {
      umountMnt(draft, next);
      unmounted.push(next);
    } else {
      // Seeded bug (CVE-2014-9717 shape): no UMOUNT_CONNECTED, and locked children are cut loose too.
      const how: UmountHow = opts.bug === 'detach-mounts-disconnects-locked' ? { sync: true } : { connected: true };
      unmounted.push(...umountTree(draft, next, how, opts));
    }
  }
  namespaceUnlock(draft, unmounted, opts);
}
