// The shape of the mount tree: which mount sits where, subtrees, and attaching and detaching one
// mount. Pure queries take Readonly<State> (a draft is accepted too, and read without drafting
// what they walk: latestValue()); the two mutators take a draft and are called only from apply
// steps.
import type { DentryId, MntNsId, MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { DraftState, Mount, Path, State } from '../state.js';
import { latestValue, latestValues } from './tables.js';

/** __lookup_mnt(): the mount attached on (parent, dentry), if any. */
export function lookupMnt(state: State, parent: MountId, dentry: DentryId): MountId | null {
  const mount = latestValue(state.mounts, parent);
  if (mount === undefined) return null;
  for (const child of latestValue(mount, 'mnt_mounts') ?? []) {
    if (latestValue(state.mounts, child)?.mnt_mountpoint === dentry) return child;
  }
  return null;
}

/** follow_mount() / traverse_mounts(): from a path, go to the topmost mount stacked on it. */
export function followMounts(state: State, path: Path): Path {
  let current = path;
  for (;;) {
    const child = lookupMnt(state, current.mnt, current.dentry);
    if (child === null) return current;
    const mount = state.mounts[child];
    if (mount === undefined) return current;
    current = { mnt: child, dentry: mount.mnt_root };
  }
}

/** path_mounted(): the path designates the root of its mount. */
export function pathMounted(state: State, path: Path): boolean {
  return state.mounts[path.mnt]?.mnt_root === path.dentry;
}

/** is_subdir(): `dentry` is `ancestor` or lies below it in the same directory tree. */
export function isSubdir(state: State, dentry: DentryId, ancestor: DentryId): boolean {
  let current: DentryId | null = dentry;
  let guard = 0;
  while (current !== null && guard++ < 10_000) {
    if (current === ancestor) return true;
    current = latestValue(state.dentries, current)?.d_parent ?? null;
  }
  return false;
}

/** next_mnt() walk: the mount and every mount below it, in pre-order (parents first). */
export function subtree(state: State, root: MountId): MountId[] {
  const order: MountId[] = [];
  const stack: MountId[] = [root];
  const seen = new Set<MountId>();
  while (stack.length > 0) {
    const id = stack.pop() as MountId;
    if (seen.has(id)) continue; // a corrupted (cyclic) tree must not hang the model
    seen.add(id);
    order.push(id);
    const mount = latestValue(state.mounts, id);
    const children = (mount === undefined ? undefined : latestValue(mount, 'mnt_mounts')) ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as MountId);
  }
  return order;
}

/** check_mnt(): the mount is in the namespace of the calling task. */
export function checkMnt(mount: Mount | undefined, ns: MntNsId): boolean {
  return mount !== undefined && mount.mnt_ns === ns;
}

/** is_mounted(): the mount is in a namespace (anonymous ones included). */
export function isMounted(mount: Mount | undefined): boolean {
  return mount !== undefined && mount.mnt_ns !== null;
}

/** fs/namespace.c: mnt_is_readonly(): MNT_READONLY on the mount, or SB_RDONLY on its superblock. */
export function mntIsReadonly(state: State, mount: MountId): boolean {
  const found = state.mounts[mount];
  if (found === undefined) return false;
  return found.flags.readonly || state.superBlocks[found.mnt_sb]?.sb_rdonly === true;
}

/** MNT_UMOUNT: the mount went through umount_tree() (it is neither mounted nor internal). */
export function isUnmounted(mount: Mount | undefined): boolean {
  return mount !== undefined && mount.mnt_ns === null && !mount.internal;
}

/** attach_mnt(): hang `child` on (parent, mountpoint); joining a namespace is the caller's business. */
export function attachMnt(
  draft: DraftState,
  child: MountId,
  parent: MountId,
  mountpoint: DentryId,
): void {
  const mount = draft.mounts[child];
  const parentMount = draft.mounts[parent];
  if (mount === undefined || parentMount === undefined) return;
  mount.mnt_parent = parent;
  mount.mnt_mountpoint = mountpoint;
  parentMount.mnt_mounts.push(child);
  getMountpoint(draft, mountpoint);
}

/** umount_mnt(): detach a mount from its parent; its mountpoint may be freed. */
export function umountMnt(draft: DraftState, child: MountId, opts: ModelOptions = {}): void {
  const mount = draft.mounts[child];
  if (mount === undefined || mount.mnt_parent === null) return;
  const parentMount = draft.mounts[mount.mnt_parent];
  if (parentMount !== undefined) {
    // a new list rather than a splice of the draft's, which would write every later entry through immer
    const children = latestValue(parentMount, 'mnt_mounts') ?? [];
    const index = children.indexOf(child);
    if (index >= 0) parentMount.mnt_mounts = [...children.slice(0, index), ...children.slice(index + 1)];
  }
  if (mount.mnt_mountpoint !== null) putMountpoint(draft, mount.mnt_mountpoint, opts);
  mount.mnt_parent = null;
  mount.mnt_mountpoint = null;
}

/** get_mountpoint(): find or create the struct mountpoint of a dentry and count one more mount. */
function getMountpoint(draft: DraftState, dentry: DentryId): void {
  const existing = draft.mountpoints[dentry];
  if (existing !== undefined) existing.m_count++;
  else draft.mountpoints[dentry] = { m_dentry: dentry, m_count: 1 };
}

/** put_mountpoint() / maybe_free_mountpoint(): freed when no mount sits on it any more. */
function putMountpoint(draft: DraftState, dentry: DentryId, opts: ModelOptions): void {
  const existing = draft.mountpoints[dentry];
  if (existing === undefined) return;
  existing.m_count--;
  // Seeded bug (CVE-2020-12114 shape): the mountpoint goes with the first mount to leave it.
  if (opts.bug === 'mountpoint-put-frees-early') existing.m_count = 0;
  if (existing.m_count <= 0) delete draft.mountpoints[dentry];
}

/** d_mountpoint() restricted to the caller's namespace: __is_local_mountpoint(). */
export function isLocalMountpoint(state: State, dentry: DentryId, ns: MntNsId): boolean {
  if (state.mountpoints[dentry] === undefined) return false;
  for (const mount of Object.values(state.mounts)) {
    if (mount.mnt_ns === ns && mount.mnt_mountpoint === dentry && mount.mnt_parent !== null) {
      return true;
    }
  }
  return false;
}

/** The mounts sitting on a dentry, in any namespace or none (struct mountpoint's m_list). */
export function mountsOn(state: State, dentry: DentryId): MountId[] {
  if (state.mountpoints[dentry] === undefined) return [];
  const found: MountId[] = [];
  for (const mount of latestValues(state.mounts)) {
    if (mount.mnt_mountpoint === dentry && mount.mnt_parent !== null) found.push(mount.id);
  }
  return found;
}
