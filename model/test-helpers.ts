// Helpers for the model's tests: run events from the boot state and read the outcome.
import { expect } from 'vitest';
import type { CloneFlag, Event, Fd, ModelOptions, MountFlag, OpenFlag, Path, Result, State, TaskId } from './index.js';
import { fileId, filesStructId, fsStructId, initialState, mntNsId, mountId, setFreezing, step, superBlockId } from './index.js';
import { pathLookup } from './internal/namei.js';
import { checkInvariants } from '../properties/invariants/index.js';

setFreezing(true); // tests run with frozen state: an accidental mutation throws

export const INIT = 1 as TaskId;
export const task = (pid: number): TaskId => pid as TaskId;
export const fdOf = (n: number): Fd => n as Fd;

/** A running model: apply events one by one, keeping every result. */
export class Run {
  state: State = initialState();
  readonly results: Result[] = [];
  constructor(readonly opts: ModelOptions = {}) {}

  do(event: Event): Result {
    const outcome = step(this.state, event, this.opts);
    this.state = outcome.state;
    this.results.push(outcome.result);
    return outcome.result;
  }

  /** Apply an event that must succeed; returns its value. */
  ok(event: Event): number {
    const result = this.do(event);
    if (!result.ok) throw new Error(`${event.type} failed: ${result.errno} (${result.check})`);
    return result.value;
  }

  /** Apply an event that must fail with `errno`; returns the failing check's name. */
  fails(event: Event, errno: string): string {
    const before = this.state;
    const result = this.do(event);
    expect(result.ok ? 'success' : result.errno).toBe(errno);
    if (result.ok) return '';
    // a failed check changes nothing, except the two failures the kernel reports after a side effect:
    // MNT_EXPIRE's EAGAIN sets the expiry mark, sock_error()'s ECONNRESET clears sk_err
    if (errno !== 'EAGAIN' && errno !== 'ECONNRESET') expect(this.state).toBe(before);
    return result.check;
  }

  /** Every invariant holds now. */
  sound(): void {
    expect(checkInvariants(this.state).map((violation) => violation.message)).toEqual([]);
  }
}

// Event builders: one syscall each, by INIT unless another actor is given.
export const mkdir = (path: string, actor: TaskId = INIT): Event => ({ type: 'mkdir', task: actor, path });
export const mknod = (path: string, actor: TaskId = INIT): Event => ({ type: 'mknod', task: actor, path });
export const tmpfs = (target: string, actor: TaskId = INIT): Event =>
  ({ type: 'mount', task: actor, source: 'none', target, fstype: 'tmpfs', flags: [] });
export const bind = (source: string | null, target: string, actor: TaskId = INIT, flags: MountFlag[] = ['MS_BIND']): Event =>
  ({ type: 'mount', task: actor, source, target, fstype: null, flags });
export const open = (path: string, flags: OpenFlag[] = [], actor: TaskId = INIT): Event => ({ type: 'open', task: actor, path, flags });
export const close = (fd: number, actor: TaskId = INIT): Event => ({ type: 'close', task: actor, fd: fdOf(fd) });
export const clone = (flags: CloneFlag[] = [], actor: TaskId = INIT): Event => ({ type: 'clone', task: actor, flags });
export const cloneNewns = (actor: TaskId = INIT): Event => clone(['CLONE_NEWNS'], actor);
export const dropCaps: Event = { type: 'capset', task: INIT, effective: [] };

// Lookups: where a path leads for a task.
/** The (mount, dentry) a path leads to for a task, following the last component. */
export function at(run: Run, path: string, actor: TaskId = INIT): Path {
  const caller = run.state.tasks[actor];
  if (caller === undefined) throw new Error(`no task ${actor}`);
  const found = pathLookup(run.state, caller, path, { follow: true }, {});
  if (!found.ok || found.kind !== 'path') throw new Error(`${path} does not resolve to a path`);
  return found.path;
}

// Accessors: one table entry of the current state, by number (or by task for fsOf and fdt).
export const mnt = (run: Run, id: number) => run.state.mounts[mountId(id)];
export const mntCount = (run: Run, id: number) => mnt(run, id)?.mnt_count;
export const sb = (run: Run, id: number) => run.state.superBlocks[superBlockId(id)];
export const ns = (run: Run, id: number) => run.state.mntNamespaces[mntNsId(id)];
export const file = (run: Run, id: number) => run.state.files[fileId(id)];
export const fsOf = (run: Run, pid: TaskId) => run.state.fsStructs[run.state.tasks[pid]?.fs ?? fsStructId(0)];
export const fdt = (run: Run, pid: TaskId = INIT) => run.state.filesStructs[run.state.tasks[pid]?.files ?? filesStructId(0)]?.fdt;
