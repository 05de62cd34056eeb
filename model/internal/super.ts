// The superblock's write state: what fs/super.c consults before a superblock may become read-only.
import type { DentryId, SuperBlockId } from '../ids.js';
import type { State } from '../state.js';

/** Whether an unlinked dentry is still in use: a task's root or cwd, a file, or a mount's root. */
function unlinkedInUse(state: Readonly<State>, dentry: DentryId): boolean {
  for (const fs of Object.values(state.fsStructs)) if (fs.root.dentry === dentry || fs.pwd.dentry === dentry) return true;
  for (const file of Object.values(state.files)) if (file.kind === 'path' && file.f_path.dentry === dentry) return true;
  for (const mount of Object.values(state.mounts)) if (mount.mnt_root === dentry) return true;
  return false;
}

/**
 * fs/super.c: sb_prepare_remount_readonly(): atomic_long_read(&sb->s_remove_count), the inodes
 * whose last link is gone while they are still in use (drop_nlink() counts them until eviction).
 * The model keeps no open-for-write files, so mnt_hold_writers() never fails.
 */
export function sbRemoveCountBusy(state: Readonly<State>, sb: SuperBlockId): boolean {
  for (const dentry of Object.values(state.dentries)) {
    if (dentry.d_sb === sb && dentry.unlinked && dentry.kind !== 'nsfs' && unlinkedInUse(state, dentry.id)) return true;
  }
  return false;
}
