// umount_tree(): the single teardown primitive, used by umount2 (UMOUNT_PROPAGATE, with
// UMOUNT_SYNC unless lazy), by put_mnt_ns() (no flags), and by detach_mounts() (UMOUNT_CONNECTED).
// The tree references of disconnected mounts are dropped afterwards, in namespace_unlock().
import type { DentryId, MntNsId, MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { DraftState } from '../state.js';
import { isUnmounted, mountsOn, subtree, umountMnt } from './mount-tree.js';
import { mntput } from './refs.js';

export interface UmountHow {
  readonly propagate?: boolean; // UMOUNT_PROPAGATE
  readonly sync?: boolean; // UMOUNT_SYNC: not lazy; everything is disconnected
  readonly connected?: boolean; // UMOUNT_CONNECTED: leave non-top mounts attached to their parents
}

/** fs/namespace.c: disconnect_mount() */
function disconnectMount(draft: DraftState, id: MountId, how: UmountHow): boolean {
  const mount = draft.mounts[id];
  if (mount === undefined) return true;
  if (how.sync) return true; // leaving mounts connected is only valid for lazy umounts
  if (mount.mnt_parent === null) return true; // nothing to be connected to
  if (!isUnmounted(draft.mounts[mount.mnt_parent])) return true; // never connected to a mounted mount
  if (how.connected) return false;
  if (mount.flags.locked) return false; // a locked mount stays with its parent
  return true;
}

/**
 * fs/namespace.c: umount_tree(). Returns the mounts whose tree reference namespaceUnlock() must
 * drop. (Propagation of the umount to peers and slaves joins here with shared subtrees.)
 */
export function umountTree(
  draft: DraftState,
  root: MountId,
  how: UmountHow,
  opts: ModelOptions = {},
): MountId[] {
  const victims = subtree(draft, root);
  const kept = new Map<MountId, MntNsId>();
  // Mark every mount MNT_UMOUNT and take it out of its namespace.
  for (const id of victims) {
    const mount = draft.mounts[id];
    if (mount === undefined || mount.mnt_ns === null) continue;
    const ns = draft.mntNamespaces[mount.mnt_ns];
    if (ns !== undefined) ns.nr_mounts--;
    if (opts.bug === 'umount-tree-keeps-mnt-ns' && how.propagate && !how.sync) kept.set(id, mount.mnt_ns);
    mount.mnt_ns = null;
  }
  const unmounted: MountId[] = [];
  for (const id of victims) {
    const disconnect = disconnectMount(draft, id, how);
    const mount = draft.mounts[id];
    if (mount === undefined) continue;
    if (disconnect && mount.mnt_parent !== null) umountMnt(draft, id);
    // change_mnt_propagation(p, MS_PRIVATE)
    mount.mnt_group_id = null;
    mount.mnt_master = null;
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
      unmounted.push(...umountTree(draft, next, { connected: true }));
    }
  }
  namespaceUnlock(draft, unmounted, opts);
}
