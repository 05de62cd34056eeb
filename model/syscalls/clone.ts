// clone(2) and unshare(2) for CLONE_NEWNS, CLONE_FS and CLONE_FILES.
// Mirrors kernel/fork.c (copy_process, ksys_unshare, unshare_fs, unshare_fd), kernel/nsproxy.c
// (copy_namespaces, unshare_nsproxy_namespaces) and fs/namespace.c (copy_mnt_ns).
// Leaves out: every other CLONE_* flag (a new task never shares memory or signal handlers here),
// CLONE_NEWUSER (with shared subtrees), and the ucount limits on namespaces (ENOSPC).
import type { CloneEvent, UnshareEvent } from '../events.js';
import type { FilesStructId, FsStructId, TaskId } from '../ids.js';
import { filesStructId, fsStructId, taskId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import { failure, success } from '../result.js';
import type { DraftState, State } from '../state.js';
import { copyMntNs, getMntNs, planMntNsCopy, putMntNs } from '../internal/namespace.js';
import { fget, pathGet, putFilesStruct, putFsStruct } from '../internal/refs.js';
import type { Checked } from './common.js';
import { currentTask, has } from './common.js';

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

/** kernel/fork.c: copy_process(), the checks and effects that concern the mount layer. */
export function checkClone(state: State, event: CloneEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const newNs = has(event.flags, 'CLONE_NEWNS');
  // kernel/fork.c: copy_process()
  if (newNs && has(event.flags, 'CLONE_FS')) {
    return failure('EINVAL', 'copy_process: CLONE_NEWNS with CLONE_FS');
  }
  // kernel/nsproxy.c: copy_namespaces()
  if (newNs && !caller.task.caps.sysAdmin) {
    return failure('EPERM', 'copy_namespaces: !ns_capable(CAP_SYS_ADMIN)');
  }
  const copyPlan = newNs ? planMntNsCopy(state, caller.task.mntNs, caller.task.userNs, opts) : null;
  return (draft) => {
    const pid: TaskId = taskId(draft.next.pid++);
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
      userNs: caller.task.userNs,
      caps: { ...caller.task.caps },
    };
    return success(pid);
  };
}

/** kernel/fork.c: ksys_unshare(). CLONE_NEWNS implies CLONE_FS. */
export function checkUnshare(state: State, event: UnshareEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const newNs = has(event.flags, 'CLONE_NEWNS');
  const unshareFs = newNs || has(event.flags, 'CLONE_FS');
  // kernel/nsproxy.c: unshare_nsproxy_namespaces()
  if (newNs && !caller.task.caps.sysAdmin) {
    return failure('EPERM', 'unshare_nsproxy_namespaces: !ns_capable(CAP_SYS_ADMIN)');
  }
  const copyPlan = newNs ? planMntNsCopy(state, caller.task.mntNs, caller.task.userNs, opts) : null;
  return (draft) => {
    const pid = caller.task.pid;
    // unshare_fs(), unshare_fd(): copy only what is shared with another task.
    const newFs = unshareFs && caller.fs.users > 1 ? copyFsStruct(draft, caller.task.fs) : null;
    const newFiles =
      has(event.flags, 'CLONE_FILES') && caller.files.count > 1 ? dupFd(draft, caller.task.files) : null;
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
    return success(0);
  };
}
