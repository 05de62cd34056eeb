// Reference counts, changed only through get/put helpers named like the kernel's. A put that
// reaches zero releases the object in the same event with the kernel's cascade: a mount releases
// its root dentry and its superblock, an nsfs dentry its namespace, a namespace its mount tree,
// a file its path, a socket the files in flight on it.
import type { DentryId, FileId, FilesStructId, FsStructId, MountId, SuperBlockId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { DraftState, Path } from '../state.js';
import { umountMnt } from './mount-tree.js';
import { latestValue, scanImmutable } from './tables.js';
import { dissolveOnFput, putMntNs } from './namespace.js';

/** mntget(). */
export function mntget(draft: DraftState, id: MountId): void {
  const mount = draft.mounts[id];
  if (mount !== undefined) mount.mnt_count++;
}

/** mntput() / mntput_no_expire(): at zero, the slow path releases the mount (cleanup_mnt). */
export function mntput(draft: DraftState, id: MountId, opts: ModelOptions): void {
  const mount = draft.mounts[id];
  if (mount === undefined) return;
  mount.mnt_expiry_mark = false; // mntput() clears the MNT_EXPIRE mark
  mount.mnt_count--;
  if (mount.mnt_count > 0) return;
  // mntput_no_expire(): children still connected go to mnt_stuck_children and are put below.
  const stuck = [...mount.mnt_mounts];
  for (const child of stuck) umountMnt(draft, child);
  const { mnt_root: root, mnt_sb: sb } = mount;
  delete draft.mounts[id];
  // cleanup_mnt()
  for (const child of stuck) mntput(draft, child, opts);
  dput(draft, root, opts);
  deactivateSuper(draft, sb, opts);
}

/** dget(): only nsfs dentries carry a count in the model (tmpfs dentries live with their sb). */
export function dget(draft: DraftState, id: DentryId): void {
  if (latestValue(draft.dentries, id)?.kind !== 'nsfs') return; // read without drafting the dentry
  const dentry = draft.dentries[id];
  if (dentry !== undefined && dentry.kind === 'nsfs') dentry.d_count++;
}

/**
 * dput(): the last reference to an nsfs dentry kills it at once (it is unhashed): ->d_prune
 * (stashed_dentry_prune) clears the namespace's stash, then nsfs_evict() drops the namespace
 * reference the inode owned.
 */
export function dput(draft: DraftState, id: DentryId, opts: ModelOptions): void {
  if (latestValue(draft.dentries, id)?.kind !== 'nsfs') return; // read without drafting the dentry
  const dentry = draft.dentries[id];
  if (dentry === undefined || dentry.kind !== 'nsfs') return;
  dentry.d_count--;
  if (dentry.d_count > 0) return;
  const ns = draft.mntNamespaces[dentry.ns];
  if (ns !== undefined && ns.stashed === id && opts.bug !== 'nsfs-prune-keeps-stash') {
    ns.stashed = null; // stashed_dentry_prune(): cmpxchg(stashed, dentry, NULL)
  }
  delete draft.dentries[id];
  putMntNs(draft, dentry.ns, opts); // nsfs_evict() -> ns_ops->put()
}

/** deactivate_super(): at s_active zero the filesystem is shut down with all its dentries. */
export function deactivateSuper(draft: DraftState, id: SuperBlockId, opts: ModelOptions): void {
  const sb = draft.superBlocks[id];
  if (sb === undefined) return;
  sb.s_active--;
  if (sb.s_active > 0) return;
  if (opts.bug === 'deactivate-super-keeps-superblock') return;
  for (const dentry of scanImmutable(draft.dentries, (dentry) => dentry.d_sb === id)) delete draft.dentries[dentry];
  delete draft.superBlocks[id];
}

/** path_get(). */
export function pathGet(draft: DraftState, path: Path): void {
  mntget(draft, path.mnt);
  dget(draft, path.dentry);
}

/** path_put(). */
export function pathPut(draft: DraftState, path: Path, opts: ModelOptions): void {
  dput(draft, path.dentry, opts);
  mntput(draft, path.mnt, opts);
}

/** get_file(). */
export function fget(draft: DraftState, id: FileId): void {
  const file = draft.files[id];
  if (file !== undefined) file.f_count++;
}

/**
 * fput() and, at zero, __fput(): a socket is released first (unix_release_sock purges its receive
 * queue, dropping every file in flight on it); a path file drops its dentry, then its mount.
 */
export function fput(draft: DraftState, id: FileId, opts: ModelOptions): void {
  const file = draft.files[id];
  if (file === undefined) return;
  file.f_count--;
  if (file.f_count > 0) return;
  delete draft.files[id];
  if (file.kind === 'socket') {
    if (file.peer !== null) {
      const peer = draft.files[file.peer];
      if (peer !== undefined && peer.kind === 'socket') {
        peer.peer = null; // the peer's sk_shutdown = SHUTDOWN_MASK: its sends now fail EPIPE
        if (file.receiveQueue.length > 0) peer.sk_err = 'ECONNRESET'; // unread data was lost
      }
    }
    if (opts.bug === 'socket-release-leaks-inflight') return;
    for (const message of file.receiveQueue) {
      for (const inflight of message) fput(draft, inflight, opts);
    }
    return;
  }
  if (file.kind === 'fscontext') {
    // fscontext_release() -> put_fs_context(): drop the superblock reference of fc->root.
    if (file.sb !== null) deactivateSuper(draft, file.sb, opts);
    return;
  }
  if (file.needUnmount) dissolveOnFput(draft, file.f_path.mnt, opts);
  dput(draft, file.f_path.dentry, opts);
  mntput(draft, file.f_path.mnt, opts);
}

/** free_fs_struct() after the last user: drops the root and pwd references. */
export function putFsStruct(draft: DraftState, id: FsStructId, opts: ModelOptions): void {
  const fs = draft.fsStructs[id];
  if (fs === undefined) return;
  fs.users--;
  if (fs.users > 0) return;
  delete draft.fsStructs[id];
  pathPut(draft, fs.root, opts);
  pathPut(draft, fs.pwd, opts);
}

/** put_files_struct(): the last user closes every descriptor (close_files()). */
export function putFilesStruct(draft: DraftState, id: FilesStructId, opts: ModelOptions): void {
  const files = draft.filesStructs[id];
  if (files === undefined) return;
  files.count--;
  if (files.count > 0) return;
  delete draft.filesStructs[id];
  for (const file of Object.values(files.fdt)) fput(draft, file, opts);
}
