// Every namespace's mounts form a tree: its root has no parent; every other mount in it reaches
// the root through parents in the same namespace; parent and child lists agree; a mountpoint lies
// inside its parent mount; at most one mount sits on each (parent, dentry); no parent chain loops,
// and parent and child lists agree, for every mount (anonymous, detached and unmounted trees
// included, so every tree is acyclic); an unmounted mount is never connected to a mounted one;
// nr_mounts counts the namespace.
import type { DentryId, Mount, State } from '../../model/index.js';
import { isSubdir } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'mount-tree-well-formed';

/**
 * Follows a mount's parents up to the top of its tree (or to a parent that is gone) and says where
 * the chain runs into a loop, if it does. Chains are short, so a list is searched only once the
 * walk is longer than the table could allow without a loop.
 */
function walkParents(state: State, mount: Mount, limit: number): { readonly top: Mount; readonly loopsAt: number | null } {
  let current = mount;
  let steps = 0;
  while (current.mnt_parent !== null) {
    const parent = state.mounts[current.mnt_parent];
    if (parent === undefined) return { top: current, loopsAt: null };
    if (++steps > limit) break; // more parents than mounts: the chain loops
    current = parent;
  }
  if (current.mnt_parent === null) return { top: current, loopsAt: null };
  // The chain loops: find the first mount it meets again.
  const chain = new Set<number>([mount.id]);
  current = mount;
  while (current.mnt_parent !== null && !chain.has(current.mnt_parent)) {
    chain.add(current.mnt_parent);
    current = state.mounts[current.mnt_parent] as Mount;
  }
  return { top: current, loopsAt: current.mnt_parent };
}

export function checkMountTree(state: State): Violation[] {
  const violations: Violation[] = [];
  const bad = (message: string, ...mounts: number[]): void => {
    violations.push({ invariant: NAME, objects: mounts.map((id) => ref('mount', id)), message });
  };
  const members = new Map<number, number>();
  for (const ns of Object.values(state.mntNamespaces)) {
    const root = state.mounts[ns.root];
    if (root === undefined) continue; // reported by no-use-after-free
    if (root.mnt_ns !== ns.id) bad(`mount ${root.id} is the root of namespace ${ns.id} but is not in it`, root.id);
    if (root.mnt_parent !== null) bad(`mount ${root.id}, root of namespace ${ns.id}, has a parent`, root.id);
  }
  const mounts = Object.values(state.mounts);
  for (const mount of mounts) {
    if (mount.mnt_ns !== null) members.set(mount.mnt_ns, (members.get(mount.mnt_ns) ?? 0) + 1);
    // parent chain: no loop; within a namespace it ends at the namespace root
    // (every mount: namespace members, anonymous trees, and unmounted or detached ones alike)
    const { top: current, loopsAt } = walkParents(state, mount, mounts.length);
    const looped = loopsAt !== null;
    if (loopsAt === mount.id) bad(`mount ${mount.id} is its own ancestor: the parent chain loops`, mount.id);
    else if (loopsAt !== null) bad(`the parent chain of mount ${mount.id} runs into a loop at mount ${loopsAt}`, mount.id, loopsAt);
    if (mount.mnt_ns !== null) {
      const ns = state.mntNamespaces[mount.mnt_ns];
      if (ns !== undefined && mount.id !== ns.root && !looped && current.id !== ns.root) {
        bad(`mount ${mount.id} is in namespace ${ns.id} but does not reach its root mount ${ns.root}`, mount.id);
      }
    }
    if (mount.mnt_parent !== null) {
      const parent = state.mounts[mount.mnt_parent];
      if (parent === undefined) continue;
      if (!parent.mnt_mounts.includes(mount.id)) {
        bad(`mount ${mount.id} names mount ${parent.id} as parent but is not among its children`, mount.id, parent.id);
      }
      if (parent.mnt_ns !== mount.mnt_ns && parent.mnt_ns !== null) {
        bad(`mount ${mount.id} is attached to mount ${parent.id} of another namespace`, mount.id, parent.id);
      }
      if (mount.mnt_ns !== null && parent.mnt_ns === null) {
        bad(`mount ${mount.id} is mounted but hangs under the unmounted mount ${parent.id}`, mount.id, parent.id);
      }
      const mountpoint = mount.mnt_mountpoint;
      const mpDentry = mountpoint === null ? undefined : state.dentries[mountpoint];
      if (mountpoint === null || mpDentry === undefined || mpDentry.d_sb !== parent.mnt_sb || !isSubdir(state, mountpoint as DentryId, parent.mnt_root)) {
        bad(`mount ${mount.id} sits on a mountpoint outside its parent mount ${parent.id}`, mount.id, parent.id);
      }
    } else if (mount.mnt_mountpoint !== null) {
      bad(`mount ${mount.id} has a mountpoint but no parent`, mount.id);
    }
    if (mount.mnt_mounts.length === 0) continue;
    const seen = new Set<number>();
    const places = new Map<number, number>();
    for (const child of mount.mnt_mounts) {
      if (seen.has(child)) bad(`mount ${child} is listed twice as a child of mount ${mount.id}`, mount.id, child);
      seen.add(child);
      const childMount = state.mounts[child];
      if (childMount === undefined) continue;
      if (childMount.mnt_parent !== mount.id) {
        bad(`mount ${mount.id} lists mount ${child} as a child, but its parent is ${String(childMount.mnt_parent)}`, mount.id, child);
      }
      if (childMount.mnt_mountpoint !== null) {
        const other = places.get(childMount.mnt_mountpoint);
        if (other !== undefined) {
          bad(`mounts ${other} and ${child} both sit on the same dentry of mount ${mount.id}`, mount.id, other, child);
        }
        places.set(childMount.mnt_mountpoint, child);
      }
    }
  }
  for (const ns of Object.values(state.mntNamespaces)) {
    const counted = members.get(ns.id) ?? 0;
    if (counted !== ns.nr_mounts) {
      violations.push({
        invariant: NAME,
        objects: [ref('mnt_namespace', ns.id)],
        message: `mount namespace ${ns.id} has nr_mounts ${ns.nr_mounts} but ${counted} mounts are in it`,
      });
    }
  }
  return violations;
}

export const mountTreeWellFormed: Invariant = {
  name: NAME,
  guards: 'path walks, umount_tree() and namespace teardown rely on every namespace being one tree',
  check: checkMountTree,
  reads: ['mntNamespaces', 'mounts', 'dentries'],
};
