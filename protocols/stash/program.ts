// Which atomic step each task takes next, read off its program counter: the schedule only says
// "task K steps", and this decides what that step is in the current state, so every shrink of a
// schedule is still a valid interleaving. The RCU task ends a grace period or runs a callback.
import type { ProtocolOptions } from '../engine.js';
import type { StashEvent } from './events.js';
import type { StashBugId } from './options.js';
import type { StashState, StashTask } from './state.js';
import { RCU_TASK, taskId } from './state.js';

function rcuEvent(state: StashState): StashEvent {
  const ready = state.rcuCallbacks.find((callback) => callback.phase === 'ready');
  if (ready !== undefined) return { type: 'rcu_do_batch', task: RCU_TASK, dentry: ready.dentry };
  if (state.rcuCallbacks.length > 0) return { type: 'rcu_grace_period', task: RCU_TASK };
  return { type: 'idle', task: RCU_TASK };
}

/** The dentry a dput() step drops: the lost race's own dentry first, then the one the get returned. */
export function dputTarget(task: StashTask) {
  return task.mine ?? task.got;
}

function taskEvent(state: StashState, task: StashTask): StashEvent {
  const { ns } = task;
  const at = { task: task.id, ns };
  switch (task.pc) {
    case 'stashed_dentry_get:rcu_read_lock':
      return { type: 'rcu_read_lock', ...at, in: 'stashed_dentry_get' };
    case 'stashed_dentry_get:read':
      return { type: 'read_stashed', ...at };
    case 'stashed_dentry_get:lockref_get_not_dead':
      return task.seen === null ? { type: 'idle', task: task.id } : { type: 'lockref_get_not_dead', ...at, dentry: task.seen, in: 'stashed_dentry_get' };
    case 'stashed_dentry_get:rcu_read_unlock':
      return { type: 'rcu_read_unlock', ...at, in: 'stashed_dentry_get' };
    case 'path_from_stashed:put_data':
      return { type: 'put_data', ...at };
    case 'prepare_anon_dentry':
      return { type: 'prepare_anon_dentry', ...at };
    case 'stash_dentry:rcu_read_lock':
      return { type: 'rcu_read_lock', ...at, in: 'stash_dentry' };
    case 'stash_dentry:cmpxchg':
      return task.mine === null ? { type: 'idle', task: task.id } : { type: 'cmpxchg', ...at, dentry: task.mine };
    case 'stash_dentry:lockref_get_not_dead':
      return task.seen === null ? { type: 'idle', task: task.id } : { type: 'lockref_get_not_dead', ...at, dentry: task.seen, in: 'stash_dentry' };
    case 'stash_dentry:try_cmpxchg':
      return task.seen === null || task.mine === null
        ? { type: 'idle', task: task.id }
        : { type: 'try_cmpxchg', ...at, old: task.seen, dentry: task.mine };
    case 'stash_dentry:rcu_read_unlock':
      return { type: 'rcu_read_unlock', ...at, in: 'stash_dentry' };
    case 'dput': {
      const target = dputTarget(task);
      return target === null ? { type: 'idle', task: task.id } : { type: 'dput', task: task.id, dentry: target };
    }
    case '__dentry_kill:evict': {
      const inode = task.killing === null ? undefined : state.dentries[task.killing]?.d_inode;
      return task.killing === null || inode === undefined
        ? { type: 'idle', task: task.id }
        : { type: 'evict', task: task.id, dentry: task.killing, inode };
    }
    case '__dentry_kill:dentry_free':
      return task.killing === null ? { type: 'idle', task: task.id } : { type: 'dentry_free', task: task.id, dentry: task.killing };
    case 'done':
      return { type: 'idle', task: task.id };
  }
}

export function nextStashEvent(state: StashState, task: number, _opts: ProtocolOptions<StashBugId>): StashEvent {
  if (task === RCU_TASK) return rcuEvent(state);
  const running = state.tasks[taskId(task)];
  return running === undefined ? { type: 'idle', task } : taskEvent(state, running);
}
