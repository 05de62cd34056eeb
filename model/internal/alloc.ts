// Allocation of new kernel objects from the counters kept in the state, so ids are a pure function
// of the trace.
import type { DentryId, Fd, FileId, MountId, SuperBlockId } from '../ids.js';
import { dentryId, fd as toFd, fileId, mountId, superBlockId } from '../ids.js';
import type { DraftState, FsType, MountFlags } from '../state.js';
import type { UserNsId } from '../ids.js';

export const FIRST_FD = 3; // fds 0-2 are the standard streams of a real process

export const NO_FLAGS: MountFlags = {
  readonly: false,
  nosuid: false,
  nodev: false,
  noexec: false,
  locked: false,
  lockReadonly: false,
  lockNosuid: false,
  lockNodev: false,
  lockNoexec: false,
};

/** alloc_vfsmnt(): a new mount whose count of 1 is its tree reference. */
export function allocMount(
  draft: DraftState,
  sb: SuperBlockId,
  root: DentryId,
  flags: MountFlags,
): MountId {
  const id = mountId(draft.next.mount++);
  draft.mounts[id] = {
    id,
    mnt_parent: null,
    mnt_mountpoint: null,
    mnt_root: root,
    mnt_sb: sb,
    mnt_ns: null,
    internal: false,
    mnt_count: 1,
    mnt_mounts: [],
    flags: { ...flags },
    mnt_expiry_mark: false,
    mnt_group_id: null,
    mnt_master: null,
    unbindable: false,
  };
  return id;
}

/** sget_fc() + fill_super: a new superblock with an empty root directory; s_active starts at 0. */
export function allocSuperBlock(draft: DraftState, type: FsType, userNs: UserNsId): SuperBlockId {
  const id = superBlockId(draft.next.sb++);
  const root = dentryId(draft.next.dentry++);
  draft.dentries[root] = {
    kind: 'dir',
    id: root,
    d_sb: id,
    d_parent: null,
    d_name: '/',
    unlinked: false,
    d_subdirs: {},
  };
  draft.superBlocks[id] = {
    id,
    s_type: type,
    s_active: 0,
    s_root: root,
    s_dev: draft.next.dev++,
    s_user_ns: userNs,
    sb_rdonly: false,
  };
  return id;
}

/** d_alloc() + d_instantiate() of a new directory or regular file under `parent`. */
export function allocChildDentry(
  draft: DraftState,
  parent: DentryId,
  name: string,
  kind: 'dir' | 'reg',
): DentryId {
  const parentDentry = draft.dentries[parent];
  if (parentDentry === undefined || parentDentry.kind !== 'dir') {
    throw new Error(`allocChildDentry: ${parent} is not a directory`);
  }
  const id = dentryId(draft.next.dentry++);
  const base = { id, d_sb: parentDentry.d_sb, d_parent: parent, d_name: name, unlinked: false };
  draft.dentries[id] = kind === 'dir' ? { ...base, kind, d_subdirs: {} } : { ...base, kind };
  parentDentry.d_subdirs[name] = id;
  return id;
}

export function allocFileId(draft: DraftState): FileId {
  return fileId(draft.next.file++);
}

/** get_unused_fd_flags(): the lowest free descriptor. */
export function lowestFreeFd(fdt: Readonly<Record<number, unknown>>): Fd {
  let candidate = FIRST_FD;
  while (fdt[candidate] !== undefined) candidate++;
  return toFd(candidate);
}
