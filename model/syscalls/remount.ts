// mount(2) with MS_REMOUNT: MS_REMOUNT|MS_BIND changes the flags of one mount (do_reconfigure_mnt),
// MS_REMOUNT alone also reconfigures its superblock (do_remount). Mirrors fs/namespace.c:
// do_reconfigure_mnt(), do_remount(), can_change_locked_flags(), change_mount_ro_state(),
// set_mount_attributes(), and fs/super.c: reconfigure_super() for the read-only state of the
// superblock. path_mount() (mount.ts) resolves the target and checks may_mount() before it calls
// these; they work on the path's own mount (path->mnt): no lock_mount(), no following of mounts
// stacked on it. The per-mount flags become exactly the requested MS_RDONLY, MS_NOSUID, MS_NODEV
// and MS_NOEXEC; lock bits, MNT_LOCKED and propagation are kept; propagation flags in the same
// call are ignored, as path_mount() dispatches MS_REMOUNT first.
// Leaves out: atime flags and MNT_LOCK_ATIME (the model tracks no atime), MS_NOSYMFOLLOW,
// filesystem options (data), and the EBUSY of a switch to read-only while a file is open for
// writing (mnt_make_readonly, sb_prepare_remount_readonly): the model opens files read-only.
import type { MountEvent, MountFlag } from '../events.js';
import type { MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { DraftState, Mount, MountFlags, State } from '../state.js';
import { nsCapable } from '../internal/capability.js';
import type { SettableFlags } from '../internal/mount-flags.js';
import { canChangeLockedFlags } from '../internal/mount-flags.js';
import { checkMnt, pathMounted } from '../internal/mount-tree.js';
import type { Lookup } from '../internal/namei.js';
import { sbRemoveCountBusy } from '../internal/super.js';
import type { Caller, Checked } from './common.js';
import { has } from './common.js';

/** path_mount(): the per-mount flags a remount asks for (MS_RDONLY -> MNT_READONLY, ...). */
export function requestedFlags(flags: readonly MountFlag[]): SettableFlags {
  return {
    readonly: has(flags, 'MS_RDONLY'),
    nosuid: has(flags, 'MS_NOSUID'),
    nodev: has(flags, 'MS_NODEV'),
    noexec: has(flags, 'MS_NOEXEC'),
  };
}

/** fs/namespace.c: can_change_locked_flags(): no flag a lock_mnt_tree() locked may be cleared. */
function canChangeLocked(flags: MountFlags, next: SettableFlags, opts: ModelOptions): boolean {
  // Seeded bug (K11, CVE-2014-5206/5207): the locks are not looked at, so a remount in a less
  // privileged mount namespace clears flags the more privileged one set.
  if (opts.bug === 'remount-clears-locked-flags') return true;
  return canChangeLockedFlags(flags, next);
}

/** The checks do_reconfigure_mnt() and do_remount() share, in their order; the mount remounted. */
function checkRemountTarget(
  state: State,
  caller: Caller,
  target: Lookup & { ok: true },
  next: SettableFlags,
  fn: 'do_reconfigure_mnt' | 'do_remount',
  opts: ModelOptions,
): Mount | Failure {
  // check_mnt(): a followed /proc/<pid>/ns/mnt is on the internal nsfs mount, in no namespace
  // (path_mount() follows links and rejects the /proc directories, so no other kind gets here)
  if (target.kind !== 'path') return failure('EINVAL', `${fn}: !check_mnt`);
  const mount = state.mounts[target.path.mnt];
  // fs/namespace.c: do_reconfigure_mnt(), do_remount(): !check_mnt(mnt)
  if (mount === undefined || !checkMnt(mount, caller.task.mntNs)) return failure('EINVAL', `${fn}: !check_mnt`);
  // fs/namespace.c: do_reconfigure_mnt(), do_remount(): !path_mounted(path)
  if (!pathMounted(state, target.path)) return failure('EINVAL', `${fn}: !path_mounted`);
  // fs/namespace.c: do_reconfigure_mnt(), do_remount(): !can_change_locked_flags(mnt, mnt_flags)
  if (!canChangeLocked(mount.flags, next, opts)) return failure('EPERM', `${fn}: !can_change_locked_flags`);
  return mount;
}

/** fs/namespace.c: set_mount_attributes(): the user-settable flags become `next`, the rest stays. */
function setMountAttributes(draft: DraftState, id: MountId, next: SettableFlags): void {
  const mount = draft.mounts[id];
  if (mount !== undefined) mount.flags = { ...mount.flags, ...next };
}

/** fs/namespace.c: do_reconfigure_mnt(): mount(2) with MS_REMOUNT|MS_BIND. */
export function doReconfigureMnt(
  state: State,
  event: MountEvent,
  caller: Caller,
  target: Lookup & { ok: true },
  opts: ModelOptions,
): Checked {
  const next = requestedFlags(event.flags);
  const mount = checkRemountTarget(state, caller, target, next, 'do_reconfigure_mnt', opts);
  if ('ok' in mount) return mount;
  return (draft) => {
    // change_mount_ro_state() then set_mount_attributes(); the superblock is left as it is
    setMountAttributes(draft, mount.id, next);
    return success(0);
  };
}

/** fs/namespace.c: do_remount(): mount(2) with MS_REMOUNT, which reconfigures the superblock too. */
export function doRemount(
  state: State,
  event: MountEvent,
  caller: Caller,
  target: Lookup & { ok: true },
  opts: ModelOptions,
): Checked {
  const next = requestedFlags(event.flags);
  const mount = checkRemountTarget(state, caller, target, next, 'do_remount', opts);
  if ('ok' in mount) return mount;
  const sb = state.superBlocks[mount.mnt_sb];
  // do_remount(): !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)
  if (sb === undefined || !nsCapable(state, caller.task, sb.s_user_ns, 'sysAdmin')) {
    return failure('EPERM', 'do_remount: !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)');
  }
  // fs/super.c: reconfigure_super(): a read-write superblock made read-only, sb_prepare_remount_readonly()
  if (next.readonly && !sb.sb_rdonly && sbRemoveCountBusy(state, sb.id)) {
    return failure('EBUSY', 'sb_prepare_remount_readonly: s_remove_count');
  }
  return (draft) => {
    // reconfigure_super(): SB_RDONLY follows MS_RDONLY (sb_flags_mask is MS_RMT_MASK)
    const superBlock = draft.superBlocks[sb.id];
    if (superBlock !== undefined) superBlock.sb_rdonly = next.readonly;
    setMountAttributes(draft, mount.id, next);
    return success(0);
  };
}
