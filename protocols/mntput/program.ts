// Which atomic step each task takes next, read off its program counter (and, for the order of
// umount's steps and mntput's, the seeded bug in force), so any schedule is a valid interleaving.
import type { ProtocolOptions } from '../engine.js';
import type { MntputEvent } from './events.js';
import type { MntputBugId } from './options.js';
import type { MntputPc, MntputState, MntputTask } from './state.js';
import { taskId } from './state.js';

type Opts = ProtocolOptions<MntputBugId>;
type UmountStep = 'umount_tree' | 'synchronize_rcu:start' | 'synchronize_rcu:wait';

/** umount_tree() then namespace_unlock()'s synchronize_rcu(), then the tree's reference is put. */
export function umountProgram(opts: Opts): readonly UmountStep[] {
  switch (opts.bug) {
    case 'umount-skips-grace-period':
      return ['umount_tree'];
    case 'umount-waits-before-clear':
      return ['synchronize_rcu:start', 'synchronize_rcu:wait', 'umount_tree'];
    default:
      return ['umount_tree', 'synchronize_rcu:start', 'synchronize_rcu:wait'];
  }
}

/** The umount step after `done` ('umount:begin' for the first), or the start of mntput(). */
export function nextUmountPc(done: MntputPc, opts: Opts): MntputPc {
  const program = umountProgram(opts);
  const index = done === 'umount:begin' ? -1 : program.indexOf(done as UmountStep);
  return program[index + 1] ?? mntputStart(opts);
}

/** mntput_no_expire() begins with rcu_read_lock(), then reads mnt->mnt_ns. */
export const mntputStart = (opts: Opts): MntputPc => (opts.bug === 'mntput-reads-mnt-ns-outside-rcu' ? 'mntput:read_mnt_ns' : 'mntput:rcu_read_lock');

function taskEvent(task: MntputTask, opts: Opts): MntputEvent {
  const id = task.id;
  switch (task.pc) {
    case 'umount:begin':
      return taskEvent({ ...task, pc: nextUmountPc('umount:begin', opts) }, opts);
    case 'rcu_walk:rcu_read_lock':
      return { type: 'rcu_read_lock', task: id, in: 'rcu_walk' };
    case 'rcu_walk:lookup_mnt':
      return { type: 'lookup_mnt', task: id };
    case 'rcu_walk:legitimize_mnt':
      return { type: 'legitimize_mnt', task: id };
    case 'rcu_walk:rcu_read_unlock':
      return { type: 'rcu_read_unlock', task: id, in: 'rcu_walk' };
    case 'umount_tree':
      return { type: 'umount_tree', task: id };
    case 'synchronize_rcu:start':
      return { type: 'synchronize_rcu_start', task: id };
    case 'synchronize_rcu:wait':
      return { type: 'synchronize_rcu_wait', task: id };
    case 'mntput:rcu_read_lock':
      return { type: 'rcu_read_lock', task: id, in: 'mntput' };
    case 'mntput:read_mnt_ns':
      return { type: 'read_mnt_ns', task: id };
    case 'mntput:fast':
      return { type: 'mnt_add_count_fast', task: id };
    case 'mntput:slow':
      return { type: 'mntput_slow', task: id };
    case 'mntput:rcu_read_unlock':
      return { type: 'rcu_read_unlock', task: id, in: 'mntput' };
    case 'cleanup_mnt':
      return { type: 'cleanup_mnt', task: id };
    case 'done':
      return { type: 'idle', task: id };
  }
}

export function nextMntputEvent(state: MntputState, task: number, opts: Opts): MntputEvent {
  const running = state.tasks[taskId(task)];
  return running === undefined ? { type: 'idle', task } : taskEvent(running, opts);
}
