// clone(2) and unshare(2) for CLONE_NEWUSER, CLONE_NEWNS, CLONE_FS and CLONE_FILES.
// Mirrors kernel/fork.c (copy_process, ksys_unshare, unshare_fs, unshare_fd, unshare_userns),
// kernel/user_namespace.c (create_user_ns), kernel/nsproxy.c (copy_namespaces,
// unshare_nsproxy_namespaces) and fs/namespace.c (current_chrooted, copy_mnt_ns). With
// CLONE_NEWUSER the user namespace is made first: the new mount namespace belongs to it, so an
// unprivileged task may create both at once, and the copy is a less privileged one (slaves and
// lock_mnt_tree, in model/internal/namespace.ts). The creds in a new user namespace hold every
// capability the model tracks.
// Leaves out: every other CLONE_* flag (a new task never shares memory, signal handlers or a thread
// group here, so the CLONE_THREAD that unshare(CLONE_NEWUSER) implies never fails); uid and gid
// maps (every task is uid 0 and each user namespace is taken to map its creator's uid, as
// `unshare -r` does, so nesting needs no map writes); the ucount limits (user.max_*_namespaces,
// ENOSPC), though the nesting limit of 32 levels is modelled; LSM hooks. User namespaces are never
// freed: nothing in the model depends on their lifetime.
import type { CloneEvent, UnshareEvent } from '../events.js';
import type { FilesStructId, FsStructId, TaskId, UserNsId } from '../ids.js';
import { filesStructId, fsStructId, taskId, userNsId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure, success } from '../result.js';
import type { Caps, DraftState, State, Task } from '../state.js';
import { unreachable } from '../internal/bug.js';
import { nsCapable } from '../internal/capability.js';
import { followMounts } from '../internal/mount-tree.js';
import { copyMntNs, getMntNs, planMntNsCopy, putMntNs } from '../internal/namespace.js';
import { fget, pathGet, putFilesStruct, putFsStruct } from '../internal/refs.js';
import type { Caller, Checked } from './common.js';
import { currentTask, has } from './common.js';

/** include/linux/user_namespace.h: the deepest parent create_user_ns() accepts (level > 32 fails). */
const MAX_USER_NS_LEVEL = 32;

/** set_cred_user_ns(): the creds of a new user namespace hold every capability in it. */
const FULL_CAPS: Caps = { sysAdmin: true, sysChroot: true };

/** fs/fs_struct.c: copy_fs_struct(): a private copy holding its own root and pwd references. */
function copyFsStruct(draft: DraftState, from: FsStructId): FsStructId {
  const source = draft.fsStructs[from];
  if (source === undefined) throw new Error(`copy_fs_struct: no fs_struct ${from}`);
  const id = fsStructId(draft.next.fsStruct++);
  draft.fsStructs[id] = { id, users: 1, root: { ...source.root }, pwd: { ...source.pwd } };
  pathGet(draft, source.root);
  pathGet(draft, source.pwd);
  return id;
}

/** fs/file.c: dup_fd(): a copy of the fd table, each open file referenced once more. */
function dupFd(draft: DraftState, from: FilesStructId): FilesStructId {
  const source = draft.filesStructs[from];
  if (source === undefined) throw new Error(`dup_fd: no files_struct ${from}`);
  const id = filesStructId(draft.next.filesStruct++);
  draft.filesStructs[id] = { id, count: 1, fdt: { ...source.fdt } };
  for (const file of Object.values(source.fdt)) fget(draft, file);
  return id;
}

/** user_namespace->level: how many user namespaces lie between this one and the initial one. */
function userNsLevel(state: State, id: UserNsId): number {
  let level = 0;
  let parent = state.userNamespaces[id]?.parent ?? null;
  while (parent !== null && level <= MAX_USER_NS_LEVEL) {
    level++;
    parent = state.userNamespaces[parent]?.parent ?? null;
  }
  return level;
}

/** fs/namespace.c: current_chrooted(): the root is not the topmost mount on the namespace's root. */
export function currentChrooted(state: State, caller: Caller): boolean {
  const ns = state.mntNamespaces[caller.task.mntNs];
  const nsRootMount = ns === undefined ? undefined : state.mounts[ns.root];
  if (nsRootMount === undefined) return true;
  // while (d_mountpoint(ns_root.dentry) && follow_down_one(&ns_root))
  const nsRoot = followMounts(state, { mnt: nsRootMount.id, dentry: nsRootMount.mnt_root });
  return nsRoot.mnt !== caller.fs.root.mnt || nsRoot.dentry !== caller.fs.root.dentry;
}

/** kernel/user_namespace.c: create_user_ns(): the checks; the id the new namespace will get. */
function checkCreateUserNs(state: State, caller: Caller): UserNsId | Failure {
  // create_user_ns(): parent_ns->level > 32
  if (userNsLevel(state, caller.task.userNs) > MAX_USER_NS_LEVEL) {
    return failure('ENOSPC', 'create_user_ns: parent_ns->level > 32');
  }
  // create_user_ns(): current_chrooted()
  if (currentChrooted(state, caller)) return failure('EPERM', 'create_user_ns: current_chrooted()');
  return userNsId(state.next.userNs);
}

/** create_user_ns(): the new namespace, a child of the creator's; `planned` is the id the check saw. */
function createUserNs(draft: DraftState, parent: UserNsId, planned: UserNsId): UserNsId {
  const id = userNsId(draft.next.userNs++);
  if (id !== planned) unreachable(`create_user_ns: planned user namespace ${planned}, allocated ${id}`);
  draft.userNamespaces[id] = { id, parent };
  return id;
}

/**
 * kernel/nsproxy.c: copy_namespaces() / unshare_nsproxy_namespaces(): ns_capable(user_ns,
 * CAP_SYS_ADMIN) with the caller's creds, where user_ns is the one the new namespaces will belong
 * to. A new user namespace is not in the state yet: it is added, as the kernel has it by then.
 */
function capableForNewNamespaces(state: State, task: Task, newUserNs: UserNsId | null): boolean {
  if (newUserNs === null) return nsCapable(state, task, task.userNs, 'sysAdmin');
  const created = { ...state.userNamespaces, [newUserNs]: { id: newUserNs, parent: task.userNs } };
  return nsCapable({ ...state, userNamespaces: created }, task, newUserNs, 'sysAdmin');
}

/** kernel/fork.c: copy_process(), the checks and effects that concern the mount layer. */
export function checkClone(state: State, event: CloneEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const newNs = has(event.flags, 'CLONE_NEWNS');
  const newUser = has(event.flags, 'CLONE_NEWUSER');
  // kernel/fork.c: copy_process()
  if (newNs && has(event.flags, 'CLONE_FS')) {
    return failure('EINVAL', 'copy_process: CLONE_NEWNS with CLONE_FS');
  }
  // kernel/fork.c: copy_process()
  if (newUser && has(event.flags, 'CLONE_FS')) {
    return failure('EINVAL', 'copy_process: CLONE_NEWUSER with CLONE_FS');
  }
  // kernel/cred.c: copy_creds() -> create_user_ns()
  const newUserNs = newUser ? checkCreateUserNs(state, caller) : null;
  if (newUserNs !== null && typeof newUserNs !== 'number') return newUserNs;
  // kernel/nsproxy.c: copy_namespaces(): !ns_capable(the child's user_ns, CAP_SYS_ADMIN)
  if (newNs && !capableForNewNamespaces(state, caller.task, newUserNs)) {
    return failure('EPERM', 'copy_namespaces: !ns_capable(CAP_SYS_ADMIN)');
  }
  const userNs = newUserNs ?? caller.task.userNs;
  const copyPlan = newNs ? planMntNsCopy(state, caller.task.mntNs, userNs, opts) : null;
  return (draft) => {
    const pid: TaskId = taskId(draft.next.pid++);
    // copy_creds(): the child's creds, in a new user namespace with every capability
    if (newUserNs !== null) createUserNs(draft, caller.task.userNs, newUserNs);
    // copy_files(), copy_fs()
    let files = caller.task.files;
    if (has(event.flags, 'CLONE_FILES')) {
      const shared = draft.filesStructs[files];
      if (shared !== undefined) shared.count++;
    } else {
      files = dupFd(draft, files);
    }
    let fs = caller.task.fs;
    if (has(event.flags, 'CLONE_FS')) {
      const shared = draft.fsStructs[fs];
      if (shared !== undefined) shared.users++;
    } else {
      fs = copyFsStruct(draft, fs);
    }
    // copy_namespaces(): share the nsproxy, or copy the mount namespace for the child's fs.
    let mntNs = caller.task.mntNs;
    if (copyPlan !== null) mntNs = copyMntNs(draft, copyPlan, fs, opts);
    else getMntNs(draft, mntNs);
    draft.tasks[pid] = {
      pid,
      mntNs,
      fs,
      files,
      userNs,
      caps: newUserNs !== null ? { ...FULL_CAPS } : { ...caller.task.caps },
    };
    return success(pid);
  };
}

/** kernel/fork.c: ksys_unshare(). CLONE_NEWUSER and CLONE_NEWNS imply CLONE_FS. */
export function checkUnshare(state: State, event: UnshareEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const newNs = has(event.flags, 'CLONE_NEWNS');
  const newUser = has(event.flags, 'CLONE_NEWUSER');
  const unshareFs = newNs || newUser || has(event.flags, 'CLONE_FS');
  // unshare_fs() and unshare_fd() only copy; then unshare_userns() -> create_user_ns()
  const newUserNs = newUser ? checkCreateUserNs(state, caller) : null;
  if (newUserNs !== null && typeof newUserNs !== 'number') return newUserNs;
  // kernel/nsproxy.c: unshare_nsproxy_namespaces(): !ns_capable(new or current user_ns, CAP_SYS_ADMIN)
  if (newNs && !capableForNewNamespaces(state, caller.task, newUserNs)) {
    return failure('EPERM', 'unshare_nsproxy_namespaces: !ns_capable(CAP_SYS_ADMIN)');
  }
  const copyPlan = newNs ? planMntNsCopy(state, caller.task.mntNs, newUserNs ?? caller.task.userNs, opts) : null;
  return (draft) => {
    const pid = caller.task.pid;
    // unshare_fs(), unshare_fd(): copy only what is shared with another task.
    const newFs = unshareFs && caller.fs.users > 1 ? copyFsStruct(draft, caller.task.fs) : null;
    const newFiles =
      has(event.flags, 'CLONE_FILES') && caller.files.count > 1 ? dupFd(draft, caller.task.files) : null;
    // unshare_userns() -> create_user_ns()
    if (newUserNs !== null) createUserNs(draft, caller.task.userNs, newUserNs);
    // create_new_namespaces() -> copy_mnt_ns() for the fs the task will have.
    const newMntNs = copyPlan !== null ? copyMntNs(draft, copyPlan, newFs ?? caller.task.fs, opts) : null;
    const task = draft.tasks[pid];
    if (task === undefined) return success(0);
    if (newMntNs !== null) {
      // switch_task_namespaces(): the old namespace may die right here.
      const old = task.mntNs;
      task.mntNs = newMntNs;
      putMntNs(draft, old, opts);
    }
    if (newFs !== null) {
      const old = task.fs;
      task.fs = newFs;
      putFsStruct(draft, old, opts);
    }
    if (newFiles !== null) {
      const old = task.files;
      task.files = newFiles;
      putFilesStruct(draft, old, opts);
    }
    if (newUserNs !== null) {
      // commit_creds()
      task.userNs = newUserNs;
      task.caps = { ...FULL_CAPS };
    }
    return success(0);
  };
}
