// The user-settable per-mount flags and the lock bits that freeze them (include/linux/mount.h).
// A namespace copied into a less privileged user namespace gets every flag it has locked
// (lock_mnt_tree), and nothing may then clear a locked flag (can_change_locked_flags).
import type { MountFlags } from '../state.js';

/** The user-settable flags a remount or mount_setattr() asks for. */
export interface SettableFlags {
  readonly readonly: boolean; // MNT_READONLY
  readonly nosuid: boolean; // MNT_NOSUID
  readonly nodev: boolean; // MNT_NODEV
  readonly noexec: boolean; // MNT_NOEXEC
}

/** fs/namespace.c: can_change_locked_flags(): no locked flag may be cleared. */
export function canChangeLockedFlags(flags: MountFlags, next: SettableFlags): boolean {
  if (flags.lockReadonly && !next.readonly) return false;
  if (flags.lockNodev && !next.nodev) return false;
  if (flags.lockNosuid && !next.nosuid) return false;
  if (flags.lockNoexec && !next.noexec) return false;
  return true;
}

/** fs/namespace.c: lock_mnt_tree(), for one mount: lock every flag it has set. */
export function lockFlags(flags: MountFlags): MountFlags {
  return {
    ...flags,
    lockReadonly: flags.lockReadonly || flags.readonly,
    lockNodev: flags.lockNodev || flags.nodev,
    lockNosuid: flags.lockNosuid || flags.nosuid,
    lockNoexec: flags.lockNoexec || flags.noexec,
  };
}
