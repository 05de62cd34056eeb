// mkdir(2), rmdir(2), mknod(2) with S_IFREG, and unlink(2) on the model's small directory trees.
// Mirrors fs/namei.c (filename_create, do_mkdirat, do_rmdir, do_unlinkat, may_create,
// may_delete, vfs_rmdir, vfs_unlink) and fs/libfs.c (simple_rmdir). Removing a dentry that is a
// mountpoint in the caller's namespace fails with EBUSY; one that is a mountpoint only elsewhere
// is removed and the mounts on it are detached (detach_mounts). In the procfs root, /proc/<pid>
// and /proc/self are positive entries (EEXIST; no ->rmdir or ->unlink: EPERM). A read-only mount
// or superblock under the parent directory fails EROFS where mnt_want_write() is called: after the
// last component's lookup in filename_create(), before it in do_rmdir() and do_unlinkat().
// Leaves out: permissions (every task is uid 0), symlinks and rename.
import type { MkdirEvent, MknodEvent, RmdirEvent, UnlinkEvent } from '../events.js';
import type { DentryId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { Dentry, DirDentry, State } from '../state.js';
import { allocChildDentry } from '../internal/alloc.js';
import { isLocalMountpoint, mntIsReadonly } from '../internal/mount-tree.js';
import type { ParentLookup } from '../internal/namei.js';
import { parentLookup, procRootEntry } from '../internal/namei.js';
import { detachMounts } from '../internal/umount-tree.js';
import type { Caller, Checked } from './common.js';
import { currentTask } from './common.js';

interface Resolved {
  readonly caller: Caller;
  readonly parent: ParentLookup;
  readonly dir: DirDentry;
  readonly child: Dentry | undefined;
  /** The kind of the last component: its dentry's, a /proc entry's, or null when it is negative. */
  readonly victim: Dentry['kind'] | 'symlink' | null;
  readonly procfs: boolean;
}

/** filename_parentat() and the lookup of the last component in its directory. */
function resolve(
  state: State,
  event: MkdirEvent | MknodEvent | RmdirEvent | UnlinkEvent,
  opts: ModelOptions,
): Resolved | Failure {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const parent = parentLookup(state, caller.task, event.path, opts);
  if (!parent.ok) return parent;
  if ('kind' in parent) return failure('EPERM', 'procfs: directory has no ->mkdir/->rmdir');
  const dir = state.dentries[parent.parent.dentry];
  if (dir === undefined || dir.kind !== 'dir') return failure('ENOTDIR', 'filename_parentat: not a directory');
  const childId = parent.type === 'norm' && !dir.unlinked ? dir.d_subdirs[parent.last] : undefined;
  const child = childId === undefined ? undefined : state.dentries[childId];
  const procfs = state.superBlocks[dir.d_sb]?.s_type === 'proc';
  const procEntry = parent.type === 'norm' ? procRootEntry(state, caller.task, parent.parent, parent.last) : null;
  return { caller, parent, dir, child, victim: child?.kind ?? procEntry, procfs };
}

/** fs/namei.c: filename_create() and may_create() for mkdir and mknod. */
function checkCreate(
  state: State,
  event: MkdirEvent | MknodEvent,
  opts: ModelOptions,
  kind: 'dir' | 'reg',
): Checked {
  const found = resolve(state, event, opts);
  if ('ok' in found) return found;
  // filename_create(): type != LAST_NORM
  if (found.parent.type !== 'norm') return failure('EEXIST', 'filename_create: not a plain name');
  // filename_create(): d_is_positive()
  if (found.victim !== null) return failure('EEXIST', 'filename_create: d_is_positive');
  // filename_create(): a trailing slash is only allowed when creating a directory
  if (kind === 'reg' && found.parent.trailingSlash) {
    return failure('ENOENT', 'filename_create: trailing slash on a non-directory');
  }
  // may_create(): IS_DEADDIR(dir)
  if (found.dir.unlinked) return failure('ENOENT', 'may_create: IS_DEADDIR');
  // vfs_mkdir() / vfs_mknod(): !dir->i_op->mkdir
  if (found.procfs) return failure('EPERM', 'vfs_mkdir: procfs has no ->mkdir');
  // filename_create(): mnt_want_write(path->mnt), reported once the lookup found nothing wrong
  if (mntIsReadonly(state, found.parent.parent.mnt)) return failure('EROFS', 'filename_create: mnt_want_write');
  const dir = found.dir.id;
  const name = found.parent.last;
  return (draft) => {
    allocChildDentry(draft, dir, name, kind);
    return success(0);
  };
}

export function checkMkdir(state: State, event: MkdirEvent, opts: ModelOptions): Checked {
  return checkCreate(state, event, opts, 'dir');
}

export function checkMknod(state: State, event: MknodEvent, opts: ModelOptions): Checked {
  return checkCreate(state, event, opts, 'reg');
}

/** d_delete() of a tmpfs dentry, then detach_mounts() for the mounts that sat on it. */
function removeDentry(victim: DentryId, dir: DentryId, name: string, opts: ModelOptions): Checked {
  return (draft) => {
    const parent = draft.dentries[dir];
    if (parent !== undefined && parent.kind === 'dir') delete parent.d_subdirs[name];
    const dentry = draft.dentries[victim];
    if (dentry !== undefined) dentry.unlinked = true; // dont_mount()
    detachMounts(draft, victim, opts);
    return success(0);
  };
}

/** fs/namei.c: do_rmdir() and vfs_rmdir(). */
export function checkRmdir(state: State, event: RmdirEvent, opts: ModelOptions): Checked {
  const found = resolve(state, event, opts);
  if ('ok' in found) return found;
  // do_rmdir(): switch (type)
  if (found.parent.type === 'dotdot') return failure('ENOTEMPTY', 'do_rmdir: LAST_DOTDOT');
  if (found.parent.type === 'dot') return failure('EINVAL', 'do_rmdir: LAST_DOT');
  if (found.parent.type === 'root') return failure('EBUSY', 'do_rmdir: LAST_ROOT');
  // do_rmdir(): mnt_want_write(path.mnt)
  if (mntIsReadonly(state, found.parent.parent.mnt)) return failure('EROFS', 'do_rmdir: mnt_want_write');
  // do_rmdir(): lookup_one_qstr_excl() found a negative dentry (always, in a dead directory)
  if (found.victim === null) return failure('ENOENT', 'do_rmdir: no such entry');
  // may_delete(isdir)
  if (found.victim !== 'dir') return failure('ENOTDIR', 'may_delete: !d_is_dir(victim)');
  // vfs_rmdir(): !dir->i_op->rmdir (the only directories procfs has are its /proc/<pid> entries)
  const child = found.child;
  if (found.procfs || child?.kind !== 'dir') return failure('EPERM', 'vfs_rmdir: procfs has no ->rmdir');
  // vfs_rmdir(): is_local_mountpoint()
  if (isLocalMountpoint(state, child.id, found.caller.task.mntNs)) {
    return failure('EBUSY', 'vfs_rmdir: is_local_mountpoint');
  }
  // simple_rmdir(): !simple_empty()
  if (Object.keys(child.d_subdirs).length > 0) {
    return failure('ENOTEMPTY', 'simple_rmdir: !simple_empty');
  }
  return removeDentry(child.id, found.dir.id, found.parent.last, opts);
}

/** fs/namei.c: do_unlinkat() and vfs_unlink(). */
export function checkUnlink(state: State, event: UnlinkEvent, opts: ModelOptions): Checked {
  const found = resolve(state, event, opts);
  if ('ok' in found) return found;
  // do_unlinkat(): type != LAST_NORM
  if (found.parent.type !== 'norm') return failure('EISDIR', 'do_unlinkat: not a plain name');
  // do_unlinkat(): mnt_want_write(path.mnt)
  if (mntIsReadonly(state, found.parent.parent.mnt)) return failure('EROFS', 'do_unlinkat: mnt_want_write');
  // do_unlinkat(): lookup_one_qstr_excl() found a negative dentry (always, in a dead directory)
  if (found.victim === null) return failure('ENOENT', 'do_unlinkat: no such entry');
  // do_unlinkat(): a trailing slash names a directory
  if (found.parent.trailingSlash) {
    return found.victim === 'dir'
      ? failure('EISDIR', 'do_unlinkat: trailing slash on a directory')
      : failure('ENOTDIR', 'do_unlinkat: trailing slash on a non-directory');
  }
  // may_delete(!isdir)
  if (found.victim === 'dir') return failure('EISDIR', 'may_delete: d_is_dir(victim)');
  // vfs_unlink(): !dir->i_op->unlink (/proc/self is the one non-directory in the procfs root)
  if (found.procfs || found.child === undefined) return failure('EPERM', 'vfs_unlink: procfs has no ->unlink');
  // vfs_unlink(): is_local_mountpoint()
  if (isLocalMountpoint(state, found.child.id, found.caller.task.mntNs)) {
    return failure('EBUSY', 'vfs_unlink: is_local_mountpoint');
  }
  return removeDentry(found.child.id, found.dir.id, found.parent.last, opts);
}
