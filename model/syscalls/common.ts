// What every syscall family shares: the check/apply split and the lookups of the acting task and
// of a descriptor. A check takes the unchanged state and returns either a Failure (the syscall
// fails and nothing changes) or an Apply, which receives the immer draft and cannot fail except
// where the kernel fails after a side effect (MNT_EXPIRE's EAGAIN, for one).
import type { Fd, FileId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure, Result } from '../result.js';
import { failure } from '../result.js';
import type { DraftState, File, FilesStruct, FsStruct, Path, State, Task } from '../state.js';
import { pathGet, pathPut } from '../internal/refs.js';

export type Apply = (draft: DraftState) => Result;
export type Checked = Failure | Apply;

export interface Caller {
  readonly task: Task;
  readonly fs: FsStruct;
  readonly files: FilesStruct;
}

/** The acting task; a trace may name one that has exited, which gets ESRCH. */
export function currentTask(state: State, pid: Task['pid']): Caller | Failure {
  const task = state.tasks[pid];
  if (task === undefined) return failure('ESRCH', 'find_task_by_vpid: no such task');
  const fs = state.fsStructs[task.fs];
  const files = state.filesStructs[task.files];
  if (fs === undefined || files === undefined) return failure('ESRCH', 'task is exiting');
  return { task, fs, files };
}

/** fdget_raw(): the struct file behind a descriptor, O_PATH files included. */
export function fdgetRaw(state: State, caller: Caller, fd: Fd): { id: FileId; file: File } | null {
  const id = caller.files.fdt[fd];
  if (id === undefined) return null;
  const file = state.files[id];
  return file === undefined ? null : { id, file };
}

/** fdget(): like fdget_raw() but O_PATH files are invisible (FMODE_PATH is masked out). */
export function fdget(state: State, caller: Caller, fd: Fd): { id: FileId; file: File } | null {
  const found = fdgetRaw(state, caller, fd);
  if (found === null) return null;
  if (found.file.kind === 'path' && found.file.fmodePath) return null;
  return found;
}

/** set_fs_pwd() / set_fs_root(): take a reference on the new path, drop the old one. */
export function setFsPath(
  draft: DraftState,
  fsId: FsStruct['id'],
  which: 'pwd' | 'root',
  path: Path,
  opts: ModelOptions,
): void {
  const fs = draft.fsStructs[fsId];
  if (fs === undefined) return;
  pathGet(draft, path);
  const old = fs[which];
  fs[which] = { ...path };
  pathPut(draft, old, opts);
}

export const has = <T extends string>(flags: readonly T[], flag: T): boolean => flags.includes(flag);
