// mkdir(2), rmdir(2), mknod(2) with S_IFREG, and unlink(2) on the model's small directory trees.
// Mirrors fs/namei.c (filename_create, do_mkdirat, do_rmdir, do_unlinkat, may_create,
// may_delete, vfs_rmdir, vfs_unlink) and fs/libfs.c (simple_rmdir). Removing a dentry that is a
// mountpoint in the caller's namespace fails with EBUSY; one that is a mountpoint only elsewhere
// is removed and the mounts on it are detached (detach_mounts). procfs directories have no
// negative dentries: a name that is not there fails the lookup (ENOENT), one that is there is
// EEXIST to mkdir, and rmdir and unlink meet may_delete()'s S_IMMUTABLE tests (/proc/<pid>), its
// type tests, then the missing ->rmdir and ->unlink (EPERM). A read-only mount or superblock under
// the parent directory fails EROFS where mnt_want_write() is called: after the last component's
// lookup in filename_create(), before it in do_rmdir() and do_unlinkat().
// Leaves out: permissions (every task is uid 0), symlinks and rename.
import type { MkdirEvent, MknodEvent, RmdirEvent, UnlinkEvent } from '../events.js';
import type { DentryId, MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { Dentry, DirDentry, State } from '../state.js';
import { allocChildDentry } from '../internal/alloc.js';
import { isLocalMountpoint, mntIsReadonly } from '../internal/mount-tree.js';
import type { ParentLookup } from '../internal/namei.js';
import { parentLookup, procEntry } from '../internal/namei.js';
import { unreachable } from '../internal/bug.js';
import { detachMounts } from '../internal/umount-tree.js';
import type { Caller, Checked } from './common.js';
import { currentTask } from './common.js';

/** The last component as the lookup in its directory found it. */
interface Victim {
  readonly kind: Dentry['kind'] | 'symlink';
  /** S_IMMUTABLE: the /proc/<pid> directories (proc_pid_instantiate()). */
  readonly immutable: boolean;
}

interface Resolved {
  readonly caller: Caller;
  readonly parent: Pick<ParentLookup, 'last' | 'type' | 'trailingSlash'>;
  /** The mount of the directory: mnt_want_write() asks whether it (or its superblock) is read-only. */
  readonly mnt: MountId;
  /** The directory and the child's dentry, in a filesystem whose dentries the model keeps. */
  readonly dentries: { readonly dir: DirDentry; readonly child: Dentry | undefined } | null;
  /** lookup_one_qstr_excl()'s own failure: procfs has no negative dentries, a missing name is ENOENT. */
  readonly lookupError: Failure | null;
  /** null when the lookup found a negative dentry (or failed). */
  readonly victim: Victim | null;
  /** S_IMMUTABLE on the directory (/proc/<pid>): inode_permission(dir, MAY_WRITE) fails EPERM. */
  readonly dirImmutable: boolean;
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
  const found = parentLookup(state, caller.task, event.path, opts);
  if (!found.ok) return found;
  if ('kind' in found) {
    // a directory below /proc (/proc/<pid>, .../ns, .../fd): every entry is looked up by procfs
    const parent = procParent(event.path);
    const entry = parent.type === 'norm' ? procEntry(state, caller.task, found.dir, parent.last) : null;
    const lookupError = entry !== null && 'ok' in entry ? entry : null;
    const victim = entry !== null && !('ok' in entry) ? entry : null;
    return { caller, parent, mnt: found.mnt, dentries: null, lookupError, victim, dirImmutable: found.dir.level === 'pid', procfs: true };
  }
  const dir = state.dentries[found.parent.dentry];
  if (dir === undefined || dir.kind !== 'dir') return failure('ENOTDIR', 'filename_parentat: not a directory');
  const childId = found.type === 'norm' && !dir.unlinked ? dir.d_subdirs[found.last] : undefined;
  const child = childId === undefined ? undefined : state.dentries[childId];
  const procfs = state.superBlocks[dir.d_sb]?.s_type === 'proc';
  const entry = found.type === 'norm' ? procEntry(state, caller.task, found.parent, found.last) : null;
  const lookupError = entry !== null && 'ok' in entry ? entry : null;
  const victim = child !== undefined ? { kind: child.kind, immutable: false } : entry !== null && !('ok' in entry) ? entry : null;
  return { caller, parent: found, mnt: found.parent.mnt, dentries: { dir, child }, lookupError, victim, dirImmutable: false, procfs };
}

/** The last component of a path whose parent is a procfs directory, classified as filename_parentat() does. */
function procParent(path: string): Resolved['parent'] {
  const components = path.split('/').filter((name) => name !== '');
  const last = components[components.length - 1] ?? '/';
  return { last, type: last === '.' ? 'dot' : last === '..' ? 'dotdot' : 'norm', trailingSlash: path.length > 1 && path.endsWith('/') };
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
  // filename_create(): lookup_one_qstr_excl() failed
  if (found.lookupError !== null) return found.lookupError;
  // filename_create(): d_is_positive()
  if (found.victim !== null) return failure('EEXIST', 'filename_create: d_is_positive');
  // filename_create(): a trailing slash is only allowed when creating a directory
  if (kind === 'reg' && found.parent.trailingSlash) {
    return failure('ENOENT', 'filename_create: trailing slash on a non-directory');
  }
  // every procfs name is positive or fails its lookup: a negative dentry is in a filesystem the model keeps
  if (found.dentries === null || found.procfs) return unreachable('a negative dentry in procfs');
  // may_create(): IS_DEADDIR(dir)
  if (found.dentries.dir.unlinked) return failure('ENOENT', 'may_create: IS_DEADDIR');
  // filename_create(): mnt_want_write(path->mnt), reported once the lookup found nothing wrong
  if (mntIsReadonly(state, found.mnt)) return failure('EROFS', 'filename_create: mnt_want_write');
  const dir = found.dentries.dir.id;
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

/**
 * fs/namei.c: may_delete(): the checks between the lookup and the filesystem's own method. Only
 * procfs has immutable inodes; in the model's other filesystems these never fail.
 */
function mayDelete(found: Resolved, victim: Victim, isdir: boolean): Failure | null {
  // inode_permission(dir, MAY_WRITE | MAY_EXEC): IS_IMMUTABLE(dir)
  if (found.dirImmutable) return failure('EPERM', 'may_delete: inode_permission: IS_IMMUTABLE(dir)');
  // IS_IMMUTABLE(inode)
  if (victim.immutable) return failure('EPERM', 'may_delete: IS_IMMUTABLE(victim)');
  if (isdir && victim.kind !== 'dir') return failure('ENOTDIR', 'may_delete: !d_is_dir(victim)');
  if (!isdir && victim.kind === 'dir') return failure('EISDIR', 'may_delete: d_is_dir(victim)');
  return null;
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
  if (mntIsReadonly(state, found.mnt)) return failure('EROFS', 'do_rmdir: mnt_want_write');
  // do_rmdir(): lookup_one_qstr_excl() failed
  if (found.lookupError !== null) return found.lookupError;
  // do_rmdir(): lookup_one_qstr_excl() found a negative dentry (always, in a dead directory)
  if (found.victim === null) return failure('ENOENT', 'do_rmdir: no such entry');
  // vfs_rmdir(): may_delete(isdir)
  const denied = mayDelete(found, found.victim, true);
  if (denied !== null) return denied;
  // vfs_rmdir(): !dir->i_op->rmdir (every procfs directory is immutable or in an immutable one)
  const child = found.dentries?.child;
  if (found.procfs || child?.kind !== 'dir' || found.dentries === null) return unreachable('rmdir of a procfs directory');
  // vfs_rmdir(): is_local_mountpoint()
  if (isLocalMountpoint(state, child.id, found.caller.task.mntNs)) {
    return failure('EBUSY', 'vfs_rmdir: is_local_mountpoint');
  }
  // simple_rmdir(): !simple_empty()
  if (Object.keys(child.d_subdirs).length > 0) {
    return failure('ENOTEMPTY', 'simple_rmdir: !simple_empty');
  }
  return removeDentry(child.id, found.dentries.dir.id, found.parent.last, opts);
}

/** fs/namei.c: do_unlinkat() and vfs_unlink(). */
export function checkUnlink(state: State, event: UnlinkEvent, opts: ModelOptions): Checked {
  const found = resolve(state, event, opts);
  if ('ok' in found) return found;
  // do_unlinkat(): type != LAST_NORM
  if (found.parent.type !== 'norm') return failure('EISDIR', 'do_unlinkat: not a plain name');
  // do_unlinkat(): mnt_want_write(path.mnt)
  if (mntIsReadonly(state, found.mnt)) return failure('EROFS', 'do_unlinkat: mnt_want_write');
  // do_unlinkat(): lookup_one_qstr_excl() failed
  if (found.lookupError !== null) return found.lookupError;
  // do_unlinkat(): lookup_one_qstr_excl() found a negative dentry (always, in a dead directory)
  if (found.victim === null) return failure('ENOENT', 'do_unlinkat: no such entry');
  // do_unlinkat(): a trailing slash names a directory
  if (found.parent.trailingSlash) {
    return found.victim.kind === 'dir'
      ? failure('EISDIR', 'do_unlinkat: trailing slash on a directory')
      : failure('ENOTDIR', 'do_unlinkat: trailing slash on a non-directory');
  }
  // vfs_unlink(): may_delete(!isdir)
  const denied = mayDelete(found, found.victim, false);
  if (denied !== null) return denied;
  // vfs_unlink(): !dir->i_op->unlink (the /proc/self, ns/mnt, fd/<n>, root and cwd links)
  const child = found.dentries?.child;
  if (found.procfs || child === undefined || found.dentries === null) return failure('EPERM', 'vfs_unlink: procfs has no ->unlink');
  // vfs_unlink(): is_local_mountpoint()
  if (isLocalMountpoint(state, child.id, found.caller.task.mntNs)) {
    return failure('EBUSY', 'vfs_unlink: is_local_mountpoint');
  }
  return removeDentry(child.id, found.dentries.dir.id, found.parent.last, opts);
}
