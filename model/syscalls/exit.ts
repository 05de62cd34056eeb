// exit(2) of a task, which is also reaped at once (the model keeps no zombies: /proc/<pid> of an
// exited task is gone). Mirrors kernel/exit.c do_exit(): exit_files(), exit_fs(), then
// exit_task_namespaces(), in that order; any of them may release the last reference to a file,
// a mount or a namespace, with the whole cascade.
import type { ExitEvent } from '../events.js';
import type { ModelOptions } from '../options.js';
import { success } from '../result.js';
import type { State } from '../state.js';
import { putMntNs } from '../internal/namespace.js';
import { putFilesStruct, putFsStruct } from '../internal/refs.js';
import { unixGc } from '../internal/unix-gc.js';
import type { Checked } from './common.js';
import { currentTask } from './common.js';

export function checkExit(state: State, event: ExitEvent, opts: ModelOptions): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  return (draft) => {
    const { files, fs, mntNs } = caller.task;
    delete draft.tasks[caller.task.pid];
    putFilesStruct(draft, files, opts); // exit_files()
    putFsStruct(draft, fs, opts); // exit_fs()
    putMntNs(draft, mntNs, opts); // exit_task_namespaces()
    unixGc(draft, opts);
    return success(0);
  };
}
