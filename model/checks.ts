// Every (errno, check) the model can return: the universe that semantic coverage is measured
// against. model/checks.test.ts parses the model's sources and fails on a failure site missing
// from this list, or an entry here that no site makes, so the list cannot go stale. A templated
// check name (chdir/chroot's lookup, the two remount paths) has one entry per expansion, since
// each expansion is a distinct path through the kernel; a failure whose errno is a variable
// (recvmsg's pending sock_error) has one entry per errno it can carry.
import type { Errno } from './errno.js';

export interface ModelCheck {
  readonly errno: Errno;
  readonly check: string;
}

/** One key per (errno, check). */
export const checkKey = (entry: ModelCheck): string => `${entry.errno} (${entry.check})`;

/** By the file that makes each first; a check made in several places is listed once. */
const ENTRIES: readonly (readonly [Errno, string])[] = [
  // model/internal/attach.ts
  ['EINVAL', 'propagate_mnt: copy_tree: is_mnt_ns_file(root)'],
  // model/internal/namei.ts
  ['ENOENT', 'getname: empty path'],
  ['ENOENT', 'path_init: task has no fs_struct'],
  ['ENOTDIR', 'path_init: dirfd is not a directory'],
  ['ENOTDIR', 'lookup: trailing slash on a non-directory'],
  ['ENOENT', 'link_path_walk: dentry freed'],
  ['ENOTDIR', 'link_path_walk: may_lookup: not a directory'],
  ['ENOENT', 'proc_root_lookup: no such task'],
  ['ENOENT', 'lookup_fast: no such entry'],
  ['EBADF', 'path_init: fdget_raw: bad file descriptor'],
  ['EINVAL', 'model: sockets and fs_context files are on internal pseudo mounts'],
  ['ENOENT', 'proc_pid_lookup: task has exited'],
  ['ENOENT', 'proc_root_link: no fs_struct'],
  ['ENOENT', 'proc_pident_lookup: no such entry'],
  ['ENOENT', 'proc_ns_dir_lookup: namespace not modelled'],
  ['ENOTDIR', 'link_path_walk: nsfs file is not a directory'],
  ['ENOENT', 'proc_lookupfd: no such fd'],
  ['ENXIO', 'proc_fd_link: sockfs paths are not modelled'],
  ['ENXIO', 'proc_fd_link: anon_inode paths are not modelled'],
  ['EACCES', 'proc_fd_access_allowed: ptrace_may_access'],
  ['EACCES', 'proc_ns_get_link: ptrace_may_access'],
  ['ENOTDIR', 'filename_parentat: not a directory'],
  // model/syscalls/namei.ts
  ['EROFS', 'filename_create: mnt_want_write'],
  ['EPERM', 'may_delete: inode_permission: IS_IMMUTABLE(dir)'],
  ['EPERM', 'may_delete: IS_IMMUTABLE(victim)'],
  ['EROFS', 'do_rmdir: mnt_want_write'],
  ['EROFS', 'do_unlinkat: mnt_want_write'],
  // model/syscalls/remount.ts, umount.ts (do_umount_root)
  ['EBUSY', 'sb_prepare_remount_readonly: s_remove_count'],
  // model/internal/namespace.ts
  ['EINVAL', 'copy_tree: no source'],
  ['EINVAL', 'copy_tree: IS_MNT_UNBINDABLE(src_root)'],
  ['EINVAL', 'copy_tree: is_mnt_ns_file(dentry)'],
  ['EPERM', 'copy_tree: unbindable MNT_LOCKED child'],
  // model/syscalls/capset.ts
  ['EPERM', 'cap_capset: raising a capability'],
  // model/syscalls/chroot.ts
  ['ENOTDIR', 'chdir: nsfs file is not a directory'],
  ['ENOTDIR', 'chroot: nsfs file is not a directory'],
  ['ENOENT', 'model: procfs directories below /proc are not modelled'],
  ['ENOTDIR', 'chdir: LOOKUP_DIRECTORY on a non-directory'],
  ['ENOTDIR', 'chroot: LOOKUP_DIRECTORY on a non-directory'],
  ['EBADF', 'fchdir: bad file descriptor'],
  ['ENOTDIR', 'fchdir: !d_can_lookup'],
  ['EPERM', 'chroot: !ns_capable(CAP_SYS_CHROOT)'],
  // model/syscalls/clone.ts
  ['ENOSPC', 'create_user_ns: parent_ns->level > 32'],
  ['EPERM', 'create_user_ns: current_chrooted()'],
  ['EINVAL', 'copy_process: CLONE_NEWNS with CLONE_FS'],
  ['EINVAL', 'copy_process: CLONE_NEWUSER with CLONE_FS'],
  ['EPERM', 'copy_namespaces: !ns_capable(CAP_SYS_ADMIN)'],
  ['EPERM', 'unshare_nsproxy_namespaces: !ns_capable(CAP_SYS_ADMIN)'],
  // model/syscalls/common.ts
  ['ESRCH', 'find_task_by_vpid: no such task'],
  ['ESRCH', 'task is exiting'],
  // model/syscalls/fd.ts
  ['ENOTDIR', 'do_open: O_DIRECTORY on a non-directory'],
  ['ELOOP', 'may_open: O_NOFOLLOW on a symlink'],
  ['ENOENT', 'model: O_PATH files on a /proc magic link are not modelled'],
  ['EBADF', 'close_fd: bad file descriptor'],
  ['EBADF', 'dup: fget_raw: bad file descriptor'],
  // model/syscalls/fsmount.ts
  ['EPERM', 'fsopen: !ns_capable(CAP_SYS_ADMIN)'],
  ['ENODEV', 'fsopen: get_fs_type: unknown filesystem type'],
  ['EBADF', 'fsconfig: fdget: bad file descriptor'],
  ['EINVAL', 'fsconfig: not an fs_context file'],
  ['EBUSY', 'vfs_cmd_create: not in FS_CONTEXT_CREATE_PARAMS'],
  ['EPERM', 'vfs_cmd_create: !mount_capable(fc)'],
  ['EPERM', 'fsmount: !may_mount()'],
  ['EBADF', 'fsmount: fdget: bad file descriptor'],
  ['EINVAL', 'fsmount: not an fs_context file'],
  ['EINVAL', 'fsmount: !fc->root'],
  ['EBUSY', 'fsmount: not in FS_CONTEXT_AWAITING_MOUNT'],
  // model/syscalls/mount-setattr.ts
  ['EPERM', 'wants_mount_setattr: !may_mount()'],
  ['EINVAL', 'do_mount_setattr: !path_mounted()'],
  ['EINVAL', 'do_mount_setattr: neither the root of a detached tree nor in our namespace'],
  ['EPERM', 'mount_setattr_prepare: !can_change_locked_flags()'],
  // model/syscalls/mount.ts
  ['ENOENT', 'lock_mount: target mount is not mounted'],
  ['ENOENT', 'lock_mount: cant_mount(dentry)'],
  ['EINVAL', 'do_new_mount: no fstype'],
  ['ENODEV', 'get_fs_type: unknown filesystem type'],
  ['EPERM', 'do_new_mount: !mount_capable(fc)'],
  ['EINVAL', 'do_add_mount: !check_mnt(parent)'],
  ['ENOTDIR', 'graft_tree: mounting a directory on a non-directory'],
  ['EINVAL', 'do_loopback: no source'],
  ['EINVAL', 'do_loopback: mnt_ns_loop'],
  ['EINVAL', 'do_loopback: !check_mnt(target parent)'],
  ['ENOTDIR', 'graft_tree: directory and non-directory'],
  ['EPERM', 'path_mount: !may_mount()'],
  ['EINVAL', 'do_change_type: !path_mounted()'],
  ['EINVAL', 'do_change_type: not exactly one propagation type'],
  ['EINVAL', 'may_change_propagation: not mounted'],
  ['EPERM', 'may_change_propagation: !ns_capable(CAP_SYS_ADMIN)'],
  ['EINVAL', 'do_move_mount_old: no source'],
  ['EINVAL', 'do_move_mount: !path_mounted(old_path)'],
  // model/syscalls/move-mount.ts
  ['EINVAL', 'can_move_mount_beneath: target has no parent'],
  ['EINVAL', 'can_move_mount_beneath: target is MNT_LOCKED'],
  ['EINVAL', 'can_move_mount_beneath: source is overmounted'],
  ['EINVAL', "can_move_mount_beneath: target is the caller's root"],
  ['EINVAL', 'can_move_mount_beneath: target sits on the namespace root'],
  ['EINVAL', 'can_move_mount_beneath: target is an ancestor of the source'],
  ['EINVAL', 'can_move_mount_beneath: propagation would overmount the target'],
  ['EINVAL', 'can_move_mount_beneath: propagation would overmount the source'],
  ['EINVAL', 'do_move_mount: no source mount'],
  ['EINVAL', 'do_move_mount: directory and non-directory'],
  ['ENOENT', 'do_lock_mount: target mount is not mounted'],
  ['ENOENT', 'do_lock_mount: cant_mount(dentry)'],
  ['EINVAL', 'do_lock_mount: beneath a path that is not a mount root'],
  ['EINVAL', 'do_lock_mount: beneath a mount without a parent'],
  ['EINVAL', 'do_move_mount: source has no parent'],
  ['EINVAL', 'do_move_mount: source is MNT_LOCKED'],
  ['EINVAL', 'do_move_mount: source parent is shared'],
  ['EINVAL', 'do_move_mount: target not in our namespace'],
  ['EINVAL', 'do_move_mount: source is not the root of a detached tree'],
  ['EINVAL', 'do_move_mount: target in the same detached tree'],
  ['EINVAL', 'do_move_mount: target neither in our namespace nor an acceptable detached tree'],
  ['EINVAL', 'do_move_mount: unbindable mount under a shared destination'],
  ['ELOOP', 'do_move_mount: check_for_nsfs_mounts'],
  ['ELOOP', 'do_move_mount: mount_is_ancestor'],
  ['EPERM', 'move_mount: !may_mount()'],
  // model/syscalls/namei.ts
  ['EEXIST', 'filename_create: not a plain name'],
  ['EEXIST', 'filename_create: d_is_positive'],
  ['ENOENT', 'filename_create: trailing slash on a non-directory'],
  ['ENOENT', 'may_create: IS_DEADDIR'],
  ['ENOTEMPTY', 'do_rmdir: LAST_DOTDOT'],
  ['EINVAL', 'do_rmdir: LAST_DOT'],
  ['EBUSY', 'do_rmdir: LAST_ROOT'],
  ['ENOENT', 'do_rmdir: no such entry'],
  ['ENOTDIR', 'may_delete: !d_is_dir(victim)'],
  ['EBUSY', 'vfs_rmdir: is_local_mountpoint'],
  ['ENOTEMPTY', 'simple_rmdir: !simple_empty'],
  ['EISDIR', 'do_unlinkat: not a plain name'],
  ['ENOENT', 'do_unlinkat: no such entry'],
  ['EISDIR', 'do_unlinkat: trailing slash on a directory'],
  ['ENOTDIR', 'do_unlinkat: trailing slash on a non-directory'],
  ['EISDIR', 'may_delete: d_is_dir(victim)'],
  ['EPERM', 'vfs_unlink: procfs has no ->unlink'],
  ['EBUSY', 'vfs_unlink: is_local_mountpoint'],
  // model/syscalls/open-tree.ts
  ['EINVAL', '__do_loopback: IS_MNT_UNBINDABLE'],
  ['EINVAL', '__do_loopback: !may_copy_tree'],
  ['EINVAL', '__do_loopback: __has_locked_children'],
  ['EINVAL', 'vfs_open_tree: AT_RECURSIVE without OPEN_TREE_CLONE'],
  ['EPERM', 'vfs_open_tree: !may_mount()'],
  // model/syscalls/pivot-root.ts
  ['ENOTDIR', 'pivot_root: user_path_at: nsfs file is not a directory'],
  ['ENOTDIR', 'pivot_root: user_path_at: LOOKUP_DIRECTORY on a non-directory'],
  ['EPERM', 'pivot_root: !may_mount()'],
  ['EINVAL', 'pivot_root: IS_MNT_SHARED(old_mnt)'],
  ['EINVAL', 'pivot_root: IS_MNT_SHARED(new_mnt->mnt_parent)'],
  ['EINVAL', 'pivot_root: IS_MNT_SHARED(root_mnt->mnt_parent)'],
  ['EINVAL', 'pivot_root: !check_mnt(root_mnt)'],
  ['EINVAL', 'pivot_root: !check_mnt(new_mnt)'],
  ['EINVAL', 'pivot_root: new_mnt is MNT_LOCKED'],
  ['ENOENT', 'pivot_root: d_unlinked(new.dentry)'],
  ['EBUSY', 'pivot_root: new_mnt == root_mnt'],
  ['EBUSY', 'pivot_root: old_mnt == root_mnt'],
  ['EINVAL', 'pivot_root: !path_mounted(&root)'],
  ['EINVAL', 'pivot_root: !mnt_has_parent(root_mnt)'],
  ['EINVAL', 'pivot_root: !path_mounted(&new)'],
  ['EINVAL', 'pivot_root: !mnt_has_parent(new_mnt)'],
  ['EINVAL', 'pivot_root: !is_path_reachable(old_mnt, old.dentry, &new)'],
  ['EINVAL', 'pivot_root: !is_path_reachable(new_mnt, new.dentry, &root)'],
  // model/syscalls/remount.ts
  ['EINVAL', 'do_reconfigure_mnt: !check_mnt'],
  ['EINVAL', 'do_remount: !check_mnt'],
  ['EINVAL', 'do_reconfigure_mnt: !path_mounted'],
  ['EINVAL', 'do_remount: !path_mounted'],
  ['EPERM', 'do_reconfigure_mnt: !can_change_locked_flags'],
  ['EPERM', 'do_remount: !can_change_locked_flags'],
  ['EPERM', 'do_remount: !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)'],
  // model/syscalls/setns.ts
  ['EBADF', 'setns: fdget: bad file descriptor'],
  ['EINVAL', 'setns: not a namespace file'],
  ['EINVAL', 'setns: nstype does not match the namespace'],
  ['EINVAL', 'setns: namespace freed'],
  ['EPERM', 'mntns_install: !ns_capable(CAP_SYS_ADMIN, CAP_SYS_CHROOT)'],
  ['EINVAL', 'mntns_install: is_anon_ns'],
  ['EINVAL', 'mntns_install: fs->users != 1'],
  ['EINVAL', 'mntns_install: namespace has no root'],
  // model/syscalls/socket.ts
  ['EBADF', 'sockfd_lookup_light: bad file descriptor'],
  ['ENOTSOCK', 'sock_from_file: not a socket'],
  ['EINVAL', 'scm_fp_copy: more than SCM_MAX_FD'],
  ['EBADF', 'scm_fp_copy: bad file descriptor'],
  ['EPIPE', 'unix_stream_sendmsg: peer shut down'],
  ['ECONNRESET', 'unix_stream_read_generic: sock_error'],
  ['EAGAIN', 'unix_stream_read_generic: no data (MSG_DONTWAIT)'],
  // model/syscalls/umount.ts
  ['EPERM', 'can_umount: !may_mount()'],
  ['EINVAL', 'can_umount: !path_mounted'],
  ['EINVAL', 'can_umount: !check_mnt'],
  ['EINVAL', 'can_umount: MNT_LOCKED'],
  ['EPERM', 'can_umount: MNT_FORCE && !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)'],
  ['EINVAL', 'do_umount: MNT_EXPIRE with root, MNT_FORCE or MNT_DETACH'],
  ['EBUSY', 'do_umount: MNT_EXPIRE on a busy mount'],
  ['EAGAIN', 'do_umount: MNT_EXPIRE marked the mount'],
  ['EPERM', 'do_umount: !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN)'],
  ['EINVAL', 'do_umount: !mnt_has_parent'],
  ['EBUSY', 'do_umount: propagate_mount_busy'],
];

export const MODEL_CHECKS: readonly ModelCheck[] = ENTRIES.map(([errno, check]) => ({ errno, check }));

/**
 * The checks the default suite cannot reach, by key, with the reason: a check guarded by an
 * earlier one in every reachable state, or a resource limit the generated runs stay below.
 */
export const UNREACHABLE_BY_DESIGN: Readonly<Record<string, string>> = {
  'ENOSPC (create_user_ns: parent_ns->level > 32)':
    'a resource limit: 33 user namespaces nested in one line of descent take 33 clone/unshare(CLONE_NEWUSER) of one lineage, which runs of 80 weighted commands never line up',
  'ESRCH (task is exiting)':
    'exit(2) removes the task in the same step that drops its fs_struct and files_struct (the model keeps no zombies), so a live task always has both',
  'ENOENT (path_init: task has no fs_struct)':
    "guarded by currentTask() in every reachable state: the caller's fs_struct is checked first (ESRCH task is exiting), and a live task always has one",
  'ENOENT (proc_root_link: no fs_struct)':
    'the task /proc/<pid> names is a live task (proc_root_lookup checked it), and a live task always has an fs_struct (see ESRCH task is exiting)',
  'ENOENT (proc_pid_lookup: task has exited)':
    'a path walk runs over one state: the task proc_root_lookup found for /proc/<pid> cannot exit before the next component is looked up',
  'EBADF (scm_fp_copy: bad file descriptor)':
    "the generators resolve every fd argument among the actor's open fds, and a sendmsg that gets past sockfd_lookup_light holds at least its socket, so every passed fd is open (a trace written by hand reaches it)",
  'EINVAL (mntns_install: is_anon_ns)':
    'an nsfs file is only opened through /proc/<pid>/ns/mnt, the namespace of a live task, and no task lives in an anonymous namespace (this very check keeps them out)',
  'EINVAL (mntns_install: namespace has no root)':
    "a namespace's root mount cannot be unmounted (do_umount refuses the caller's root and !mnt_has_parent), so every live namespace has one",
  'EINVAL (copy_tree: no source)': 'every caller of copy_tree passes a mount it has just looked up in the same state, which exists',
  'ENOENT (link_path_walk: dentry freed)':
    "a walk starts at a root, cwd or file's path and steps to children and mounts of the same state: a held path's mount holds its superblock, whose dentries live until deactivate_super (a freed one would be a use-after-free, which the invariants forbid)",
  'EINVAL (copy_tree: IS_MNT_UNBINDABLE(src_root))':
    "guarded in every caller: open_tree by __do_loopback: IS_MNT_UNBINDABLE on the same mount; propagate_mnt copies a tree that do_move_mount's tree_contains_unbindable or __do_loopback already let through (or a fresh mount, or a copy, which clone_mnt makes bindable); copy_mnt_ns passes CL_COPY_UNBINDABLE",
  'EINVAL (copy_tree: is_mnt_ns_file(dentry))':
    "guarded in every caller: open_tree passes CL_COPY_MNT_NS_FILE; propagate_mnt's copies are refused first by planAttach (propagate_mnt: copy_tree: is_mnt_ns_file(root)); copy_mnt_ns copies a task's namespace, whose root is a copy of rootfs, never an nsfs dentry",
  'EINVAL (can_move_mount_beneath: target has no parent)':
    'guarded by do_lock_mount: beneath a mount without a parent, which tests the same topmost mount at the target first',
  'EINVAL (do_move_mount: no source mount)':
    'the source path comes from a lookup in the same state (a held root, cwd or file path, or a mount found on the way), whose mount exists',
  'EINVAL (setns: namespace freed)':
    'an nsfs dentry holds a reference on its namespace, dropped only when the dentry dies (nsfs_evict), so the namespace of an open nsfs file is live',
};

export const isUnreachableByDesign = (entry: ModelCheck): boolean => checkKey(entry) in UNREACHABLE_BY_DESIGN;

/** The checks a run of the default suite is expected to reach. */
export const reachableChecks = (): readonly ModelCheck[] => MODEL_CHECKS.filter((entry) => !isUnreachableByDesign(entry));
