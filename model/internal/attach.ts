// fs/namespace.c: attach_recursive_mnt(), the one place a tree is hung into a namespace: new
// mounts, binds, moves, move_mount() of detached trees and MOVE_MOUNT_BENEATH all come here.
// Under a shared destination every receiver gets a copy (fs/pnode.c propagate_mnt(), planned
// on the unchanged state by planAttach()); a copy landing where the receiver already has a mount
// is slid under it; copies entering a namespace owned by another user namespace than the
// caller's are locked (lock_mnt_tree()).
import type { DentryId, MntNsId, MountId, UserNsId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure } from '../result.js';
import type { DraftState, Path, State } from '../state.js';
import { attachMnt, lookupMnt, subtree, umountMnt } from './mount-tree.js';
import { addTreeToNs, applyCopyTree, isMntNsFile, lockMntTree, planCopyTree } from './namespace.js';
import type { PropagationTarget } from './pnode.js';
import { inventGroupIds, overmount, planPropagation } from './pnode.js';

/** What attach_recursive_mnt() will do, decided on the unchanged state. */
export interface AttachPlan {
  readonly dest: Path;
  readonly targets: readonly PropagationTarget[];
  /** The owner of the caller's mount namespace: copies landing elsewhere are locked. */
  readonly callerUserNs: UserNsId;
}


/**
 * The checks attach_recursive_mnt() makes before it changes anything: propagate_mnt() fails
 * EINVAL when a copy would have to be rooted at an nsfs dentry (copy_tree() refuses those).
 * `sourceIsNsfs`: the root of the tree to attach is an nsfs dentry.
 */
export function planAttach(
  state: State,
  sourceIsNsfs: boolean,
  dest: Path,
  callerUserNs: UserNsId,
  opts: ModelOptions,
): AttachPlan | Failure {
  const destMount = state.mounts[dest.mnt];
  const targets = destMount?.mnt_group_id != null ? planPropagation(state, dest.mnt, dest.dentry, opts) : [];
  // propagate_mnt() -> copy_tree(): !CL_COPY_MNT_NS_FILE && is_mnt_ns_file(dentry)
  if (targets.length > 0 && sourceIsNsfs) {
    return failure('EINVAL', 'propagate_mnt: copy_tree: is_mnt_ns_file(root)');
  }
  return { dest, targets, callerUserNs };
}

/** Follow overmounts from a mount to the top of the stack on its root. */
function topOfStack(state: State, id: MountId): MountId {
  let top = id;
  for (let guard = 0; guard < 10_000; guard++) {
    const next = overmount(state, top);
    if (next === null) return top;
    top = next;
  }
  return top;
}

/** mnt_change_mountpoint(): move an attached mount onto (parent, mountpoint). */
function changeMountpoint(draft: DraftState, parent: MountId, mountpoint: DentryId, mount: MountId, opts: ModelOptions): void {
  umountMnt(draft, mount, opts);
  attachMnt(draft, mount, parent, mountpoint);
}

/** commit_tree(): every mount of the tree not yet in the parent's namespace joins it. */
function commitTree(draft: DraftState, root: MountId, ns: MntNsId): void {
  const joining = subtree(draft, root).filter((id) => draft.mounts[id]?.mnt_ns !== ns);
  addTreeToNs(draft, joining, ns);
}

/**
 * fs/namespace.c: attach_recursive_mnt(). `source` is the root of the tree: attached to a parent
 * when it is moved, or the root of a fresh copy, or of an anonymous namespace (which is emptied
 * and freed). Returns the mounts created as propagated copies.
 */
export function attachRecursiveMnt(draft: DraftState, source: MountId, plan: AttachPlan, opts: ModelOptions): MountId[] {
  const dest = plan.dest;
  const destMount = draft.mounts[dest.mnt];
  const sourceMount = draft.mounts[source];
  if (destMount === undefined || sourceMount === undefined || destMount.mnt_ns === null) return [];
  const moving = sourceMount.mnt_parent !== null;
  // The mountpoint for mounts found in the way: the root of the topmost mount stacked on the
  // source; copies skip nsfs mounts, so for them it is where the first nsfs mount of that stack sits.
  const top = topOfStack(draft, source);
  const topRoot = draft.mounts[top]?.mnt_root ?? sourceMount.mnt_root;
  let shorter: DentryId | null = null;
  for (let id = source; id !== top; ) {
    const above = overmount(draft, id);
    if (above === null) break;
    if (shorter === null && isMntNsFile(draft, draft.mounts[above]?.mnt_root as DentryId)) shorter = draft.mounts[above]?.mnt_mountpoint ?? null;
    id = above;
  }
  const destShared = destMount.mnt_group_id !== null;
  const attached: { readonly child: MountId; readonly parent: MountId }[] = [];
  if (destShared) {
    inventGroupIds(draft, source, true);
    // propagate_mnt(): one copy per receiver, each of the tree or of an earlier copy.
    const copies: MountId[] = [];
    for (const target of plan.targets) {
      const from = target.copyOf < 0 ? source : (copies[target.copyOf] as MountId);
      const fromMount = draft.mounts[from];
      if (fromMount === undefined) continue;
      const copyPlan = planCopyTree(draft, from, fromMount.mnt_root, { copyUnbindable: false, copyMntNsFile: false });
      if (!copyPlan.ok) continue; // planAttach() refused every case that fails here
      const tree = applyCopyTree(draft, copyPlan.entries, { slave: target.slave, makeShared: target.makeShared });
      const copy = tree[0] as MountId;
      copies.push(copy);
      attached.push({ child: copy, parent: target.receiver });
    }
  }
  if (moving) {
    umountMnt(draft, source, opts);
  } else if (sourceMount.mnt_ns !== null) {
    // move from an anonymous namespace: the caller frees the emptied namespace
    const emptied = sourceMount.mnt_ns;
    for (const id of subtree(draft, source)) {
      const mount = draft.mounts[id];
      if (mount === undefined || mount.mnt_ns !== emptied) continue;
      mount.mnt_ns = null;
      const ns = draft.mntNamespaces[emptied];
      if (ns !== undefined) ns.nr_mounts--;
    }
    delete draft.mntNamespaces[emptied]; // free_mnt_ns(emptied_ns), its one reference
  }
  // The original first, then every copy, each at the mountpoint in its parent.
  const created = attached.map((entry) => entry.child);
  for (const { child, parent } of [{ child: source, parent: dest.mnt }, ...attached]) {
    const parentMount = draft.mounts[parent];
    if (parentMount === undefined || parentMount.mnt_ns === null) continue;
    const parentNs = draft.mntNamespaces[parentMount.mnt_ns];
    const inTheWay = lookupMnt(draft, parent, dest.dentry);
    attachMnt(draft, child, parent, dest.dentry);
    // Notice when we are propagating across user namespaces
    if (parentNs !== undefined && parentNs.user_ns !== plan.callerUserNs) lockMntTree(draft, subtree(draft, child));
    commitTree(draft, child, parentMount.mnt_ns);
    if (inTheWay !== null) {
      const stackTop = topOfStack(draft, child);
      const mountpoint = shorter !== null && child !== source ? shorter : topRoot;
      changeMountpoint(draft, stackTop, mountpoint, inTheWay, opts);
    }
  }
  return created;
}
