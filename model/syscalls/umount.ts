// umount2(2) with MNT_FORCE, MNT_DETACH, MNT_EXPIRE and UMOUNT_NOFOLLOW. Mirrors fs/namespace.c:
// ksys_umount(), path_umount(), can_umount(), do_umount(), do_umount_root(), umount_tree(); the
// busy test is propagate_mount_busy(mnt, 2), where 2 counts the tree reference and the syscall's
// own lookup (the model keeps no transient references, so "busy" here is mnt_count > 1).
// Permission: may_mount() (CAP_SYS_ADMIN over the owner of the caller's mount namespace), and for
// MNT_FORCE and for the caller's own root CAP_SYS_ADMIN over the superblock's s_user_ns. A mount
// locked by a copy into a less privileged user namespace (MNT_LOCKED) cannot be unmounted at all.
// Umounting the caller's own root without MNT_DETACH remounts its superblock read-only instead
// (do_umount_root); the oracle never issues that call. Leaves out here: umount propagation to
// peers and slaves (with shared subtrees) and the fs ->umount_begin hook of MNT_FORCE.
import type { Umount2Event } from '../events.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { Path, State } from '../state.js';
import { mayMount, nsCapable } from '../internal/capability.js';
import { checkMnt, pathMounted } from '../internal/mount-tree.js';
import { pathLookup } from '../internal/namei.js';
import { mntget } from '../internal/refs.js';
import { sbRemoveCountBusy } from '../internal/super.js';
import { namespaceUnlock, umountTree } from '../internal/umount-tree.js';
import { propagateMountBusy } from '../internal/pnode.js';
import type { Checked } from './common.js';
import { currentTask, has } from './common.js';

/** fs/namespace.c: ksys_umount() -> path_umount() -> can_umount() -> do_umount(). */
export function checkUmount2(state: State, event: Umount2Event, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const flags = event.flags;
  const detach = has(flags, 'MNT_DETACH');
  const expire = has(flags, 'MNT_EXPIRE');
  const force = has(flags, 'MNT_FORCE');
  // ksys_umount(): user_path_at(LOOKUP_MOUNTPOINT [| LOOKUP_FOLLOW]): the topmost mount at the path
  const lookup = { follow: !has(flags, 'UMOUNT_NOFOLLOW'), mountpoint: true };
  const found = pathLookup(state, caller.task, event.target, lookup, opts);
  if (!found.ok) return found;
  const path: Path | null = found.kind === 'path' ? found.path : null;
  // Seeded bug (CVE-2014-5045 shape): a failing umount keeps the reference its lookup took.
  const fail = (errno: Failure['errno'], check: string): Checked => {
    if (opts.bug !== 'umount-error-leaks-lookup-ref' || path === null) return failure(errno, check);
    return (draft) => {
      mntget(draft, path.mnt);
      return failure(errno, check);
    };
  };
  // can_umount(): !may_mount()
  if (!mayMount(state, caller.task)) return fail('EPERM', 'can_umount: !may_mount()');
  // can_umount(): !path_mounted(path)
  if (path === null || !pathMounted(state, path)) return fail('EINVAL', 'can_umount: !path_mounted');
  const mount = state.mounts[path.mnt];
  // can_umount(): !check_mnt(mnt)
  if (mount === undefined || !checkMnt(mount, caller.task.mntNs)) return fail('EINVAL', 'can_umount: !check_mnt');
  // can_umount(): MNT_LOCKED
  if (mount.flags.locked) return fail('EINVAL', 'can_umount: MNT_LOCKED');
  const sb = state.superBlocks[mount.mnt_sb];
  const sbCapable = sb !== undefined && nsCapable(state, caller.task, sb.s_user_ns, 'sysAdmin');
  // can_umount(): MNT_FORCE && !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)
  if (force && !sbCapable) return fail('EPERM', 'can_umount: MNT_FORCE && !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)');
  const isRoot = caller.fs.root.mnt === mount.id;
  if (expire) {
    // do_umount(): MNT_EXPIRE on the caller's root, or with MNT_FORCE or MNT_DETACH
    if (isRoot || force || detach) return fail('EINVAL', 'do_umount: MNT_EXPIRE with root, MNT_FORCE or MNT_DETACH');
    // do_umount(): !list_empty(&mnt->mnt_mounts) || mnt_get_count(mnt) != 2
    if (mount.mnt_mounts.length > 0 || mount.mnt_count !== 1) return fail('EBUSY', 'do_umount: MNT_EXPIRE on a busy mount');
    // do_umount(): !xchg(&mnt->mnt_expiry_mark, 1)
    if (!mount.mnt_expiry_mark) {
      return (draft) => {
        const marked = draft.mounts[mount.id];
        if (marked !== undefined) marked.mnt_expiry_mark = true;
        return failure('EAGAIN', 'do_umount: MNT_EXPIRE marked the mount');
      };
    }
  }
  // do_umount(): the caller's root without MNT_DETACH is remounted read-only, not unmounted
  if (isRoot && !detach) {
    // do_umount(): !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)
    // Seeded bug (K12, CVE-2014-7975): the check is skipped, so a task that only owns the mount
    // namespace makes a superblock of a more privileged user namespace read-only.
    if (!sbCapable && opts.bug !== 'umount-root-skips-capability') {
      return fail('EPERM', 'do_umount: !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)');
    }
    // do_umount_root(): reconfigure_super(SB_RDONLY) of a read-write superblock: sb_prepare_remount_readonly()
    const sb = state.superBlocks[mount.mnt_sb];
    if (sb !== undefined && !sb.sb_rdonly && sbRemoveCountBusy(state, sb.id)) return fail('EBUSY', 'sb_prepare_remount_readonly: s_remove_count');
    return (draft) => {
      const superBlock = draft.superBlocks[mount.mnt_sb];
      if (superBlock !== undefined) superBlock.sb_rdonly = true;
      return success(0);
    };
  }
  // do_umount(): !mnt_has_parent(mnt) (a namespace root that is not the caller's root)
  if (mount.mnt_parent === null) return fail('EINVAL', 'do_umount: !mnt_has_parent');
  if (!detach) {
    // do_umount(): propagate_mount_busy(mnt, 2)
    if (propagateMountBusy(state, mount.id)) return fail('EBUSY', 'do_umount: propagate_mount_busy');
  }
  return (draft) => {
    const unmounted = umountTree(draft, mount.id, detach ? { propagate: true } : { propagate: true, sync: true }, opts);
    namespaceUnlock(draft, unmounted, opts, detach);
    return success(0);
  };
}
