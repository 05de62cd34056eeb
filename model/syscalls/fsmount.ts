// fsopen(2), fsconfig(2) with FSCONFIG_CMD_CREATE, and fsmount(2): a filesystem context fd, the
// superblock it creates, and a detached mount of it held in a new anonymous mount namespace (the
// last close of the fsmount fd dissolves it, as for open_tree). Mirrors fs/fsopen.c (fsopen,
// fsconfig, vfs_fsconfig_locked, fscontext_release), fs/fs_context.c (finish_clean_context,
// vfs_clean_context), fs/super.c (vfs_get_tree, mount_capable) and fs/namespace.c (fsmount).
// Phases: fsopen leaves the context in FS_CONTEXT_CREATE_PARAMS; FSCONFIG_CMD_CREATE moves it to
// FS_CONTEXT_AWAITING_MOUNT holding the superblock (one s_active) until the fd is closed; fsmount
// moves it on to FS_CONTEXT_AWAITING_RECONF ('mounted' here), where both another create and
// another fsmount are EBUSY.
// Leaves out: fspick(2), parameters (FSCONFIG_SET_*: no mount options are modelled),
// FSCONFIG_CMD_RECONFIGURE and CREATE_EXCL, the flag words (FSOPEN_CLOEXEC, FSMOUNT_CLOEXEC) and
// atime attributes, and fsmount()'s mount_too_revealing() (a procfs mount from a user namespace
// needs pid namespaces, which are not modelled; mount(2) leaves it out for the same reason).
// fc->user_ns is recorded at fsopen (alloc_fs_context(): the caller's cred->user_ns; procfs's
// proc_init_fs_context() replaces it with the owner of the pid namespace, which in the model is
// always the initial one); FSCONFIG_CMD_CREATE checks CAP_SYS_ADMIN over it, whoever calls
// fsconfig, and the new superblock's s_user_ns is it (sget_fc()).
import type { FsconfigEvent, FsmountEvent, FsopenEvent, MountAttr } from '../events.js';
import type { MountId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import { failure, success } from '../result.js';
import type { MountFlags, State } from '../state.js';
import { allocMount, allocSuperBlock, NO_FLAGS } from '../internal/alloc.js';
import { mayMount, nsCapable, pidNsOwner } from '../internal/capability.js';
import { addTreeToNs, allocMntNs } from '../internal/namespace.js';
import { mntget } from '../internal/refs.js';
import type { Checked } from './common.js';
import { currentTask, fdget, has } from './common.js';
import { MOUNTABLE_FS_TYPES, mntNsOwner } from './mount.js';
import { installFile, installOPathFile } from './open-tree.js';

/** fs/fsopen.c: fsopen(). */
export function checkFsopen(state: State, event: FsopenEvent, _opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // fsopen(): !ns_capable(current->nsproxy->mnt_ns->user_ns, CAP_SYS_ADMIN)
  if (!mayMount(state, caller.task)) return failure('EPERM', 'fsopen: !ns_capable(CAP_SYS_ADMIN)');
  // fsopen(): get_fs_type(fs_name)
  const fsType = MOUNTABLE_FS_TYPES.find((type) => type === event.fsname);
  if (fsType === undefined) return failure('ENODEV', 'fsopen: get_fs_type: unknown filesystem type');
  // alloc_fs_context(): fc->user_ns = cred->user_ns; fs/proc/root.c: proc_init_fs_context()
  const userNs = fsType === 'proc' ? pidNsOwner(state, caller.task.userNs) : caller.task.userNs;
  return (draft) => {
    // fs_context_for_mount(); fc->phase = FS_CONTEXT_CREATE_PARAMS; fscontext_create_fd()
    const fd = installFile(draft, caller, (id) => ({
      kind: 'fscontext',
      id,
      f_count: 1,
      fs_type: fsType,
      user_ns: userNs,
      phase: 'create-params',
      sb: null,
    }));
    return success(fd);
  };
}


/** fs/fsopen.c: fsconfig() with FSCONFIG_CMD_CREATE -> vfs_fsconfig_locked() -> vfs_cmd_create(). */
export function checkFsconfig(state: State, event: FsconfigEvent, _opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // fsconfig(): CLASS(fd): fdget() does not see O_PATH files
  const found = fdget(state, caller, event.fd);
  if (found === null) return failure('EBADF', 'fsconfig: fdget: bad file descriptor');
  const context = found.file;
  // fsconfig(): f_op != &fscontext_fops
  if (context.kind !== 'fscontext') return failure('EINVAL', 'fsconfig: not an fs_context file');
  // vfs_cmd_create(): fc->phase != FS_CONTEXT_CREATE_PARAMS
  if (context.phase !== 'create-params') return failure('EBUSY', 'vfs_cmd_create: not in FS_CONTEXT_CREATE_PARAMS');
  // vfs_cmd_create(): !mount_capable(fc): the caller's CAP_SYS_ADMIN over fc->user_ns (FS_USERNS_MOUNT)
  const fcUserNs = context.user_ns;
  if (!nsCapable(state, caller.task, fcUserNs, 'sysAdmin')) {
    return failure('EPERM', 'vfs_cmd_create: !mount_capable(fc)');
  }
  return (draft) => {
    // vfs_get_tree(): tmpfs and procfs (proc_get_tree() -> get_tree_nodev(), since 5.8) make a new superblock
    const sb = allocSuperBlock(draft, context.fs_type, fcUserNs);
    const superBlock = draft.superBlocks[sb];
    if (superBlock !== undefined) superBlock.s_active++; // fc->root holds the superblock active
    const file = draft.files[found.id];
    if (file !== undefined && file.kind === 'fscontext') {
      file.sb = sb;
      file.phase = 'awaiting-mount';
    }
    return success(0);
  };
}

/** attr_flags_to_mnt_flags(): MOUNT_ATTR_RDONLY -> MNT_READONLY, ... */
export function attrFlagsToMntFlags(attr: readonly MountAttr[]): Pick<MountFlags, 'readonly' | 'nosuid' | 'nodev' | 'noexec'> {
  return {
    readonly: has(attr, 'MOUNT_ATTR_RDONLY'),
    nosuid: has(attr, 'MOUNT_ATTR_NOSUID'),
    nodev: has(attr, 'MOUNT_ATTR_NODEV'),
    noexec: has(attr, 'MOUNT_ATTR_NOEXEC'),
  };
}

/** fs/namespace.c: fsmount(). */
export function checkFsmount(state: State, event: FsmountEvent, _opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // fsmount(): !may_mount()
  if (!mayMount(state, caller.task)) return failure('EPERM', 'fsmount: !may_mount()');
  // fsmount(): CLASS(fd): fdget() does not see O_PATH files
  const found = fdget(state, caller, event.fd);
  if (found === null) return failure('EBADF', 'fsmount: fdget: bad file descriptor');
  const context = found.file;
  // fsmount(): f_op != &fscontext_fops
  if (context.kind !== 'fscontext') return failure('EINVAL', 'fsmount: not an fs_context file');
  // fsmount(): !fc->root: there must be a superblock to mount
  const sbId = context.sb;
  const sb = sbId === null ? undefined : state.superBlocks[sbId];
  if (sb === undefined) return failure('EINVAL', 'fsmount: !fc->root');
  // fsmount(): fc->phase != FS_CONTEXT_AWAITING_MOUNT
  if (context.phase !== 'awaiting-mount') return failure('EBUSY', 'fsmount: not in FS_CONTEXT_AWAITING_MOUNT');
  const flags: MountFlags = { ...NO_FLAGS, ...attrFlagsToMntFlags(event.attr) };
  const owner = mntNsOwner(state, caller); // current->nsproxy->mnt_ns->user_ns
  return (draft) => {
    // vfs_create_mount(): a mount of fc->root, holding the superblock active once more
    const superBlock = draft.superBlocks[sb.id];
    if (superBlock !== undefined) superBlock.s_active++;
    const mount: MountId = allocMount(draft, sb.id, sb.s_root, flags);
    // vfs_clean_context(): the context keeps fc->root and now awaits a reconfiguration
    const file = draft.files[found.id];
    if (file !== undefined && file.kind === 'fscontext') file.phase = 'mounted';
    // alloc_mnt_ns(user_ns, true): seq_origin stays 0, so any namespace may attach the tree
    const ns = allocMntNs(draft, owner, true);
    addTreeToNs(draft, [mount], ns);
    const namespace = draft.mntNamespaces[ns];
    if (namespace !== undefined) namespace.root = mount;
    // dentry_open(&newmount, O_PATH) with FMODE_NEED_UNMOUNT
    mntget(draft, mount);
    return success(installOPathFile(draft, caller, { mnt: mount, dentry: sb.s_root }, true));
  };
}
