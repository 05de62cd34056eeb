// One line per step, naming the task, the kernel function it is in and the statement it runs:
//   [task 2] stashed_dentry_get(ns 1): dentry = ns->stashed  -> dentry 4
import type { StepResult } from '../engine.js';
import { formatResult, taskLabel } from '../print.js';
import type { StashEvent } from './events.js';

export function formatStashCall(event: StashEvent): string {
  switch (event.type) {
    case 'rcu_read_lock':
      return `${event.in}(ns ${event.ns}): rcu_read_lock()`;
    case 'read_stashed':
      return `stashed_dentry_get(ns ${event.ns}): dentry = ns->stashed`;
    case 'lockref_get_not_dead':
      return `${event.in}(ns ${event.ns}): lockref_get_not_dead(dentry ${event.dentry})`;
    case 'rcu_read_unlock':
      return `${event.in}(ns ${event.ns}): rcu_read_unlock()`;
    case 'put_data':
      return `path_from_stashed(ns ${event.ns}): sops->put_data(ns ${event.ns})`;
    case 'prepare_anon_dentry':
      return `path_from_stashed(ns ${event.ns}): prepare_anon_dentry()`;
    case 'cmpxchg':
      return `stash_dentry(ns ${event.ns}): old = cmpxchg(ns->stashed, NULL, dentry ${event.dentry})`;
    case 'try_cmpxchg':
      return `stash_dentry(ns ${event.ns}): try_cmpxchg(ns->stashed, dentry ${event.old}, dentry ${event.dentry})`;
    case 'dput':
      return `dput(dentry ${event.dentry})`;
    case 'evict':
      return `__dentry_kill(dentry ${event.dentry}): iput -> nsfs_evict(inode ${event.inode})`;
    case 'dentry_free':
      return `__dentry_kill(dentry ${event.dentry}): dentry_free()`;
    case 'rcu_grace_period':
      return 'grace period';
    case 'rcu_do_batch':
      return `rcu_do_batch(): __d_free(dentry ${event.dentry})`;
    case 'idle':
      return 'idle';
  }
}

export function formatStashStep(event: StashEvent, result: StepResult): string {
  return `${taskLabel(event.task)} ${formatStashCall(event)}${formatResult(result)}`;
}
