// capset(2), reduced to what the model tracks: lowering the effective CAP_SYS_ADMIN and
// CAP_SYS_CHROOT of a task, so that unprivileged callers can be explored. Mirrors
// security/commoncap.c cap_capset(): a capability not already held cannot be raised (EPERM).
// The set is the one the task holds in its own user namespace (cred->user_ns); what it grants over
// other user namespaces is model/internal/capability.ts nsCapable(). Leaves out the permitted and
// inheritable sets: the model has one set, so a dropped capability is gone until CLONE_NEWUSER.
import type { CapsetEvent } from '../events.js';
import { failure, success } from '../result.js';
import type { State } from '../state.js';
import type { Checked } from './common.js';
import { currentTask, has } from './common.js';

export function checkCapset(state: State, event: CapsetEvent): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const sysAdmin = has(event.effective, 'CAP_SYS_ADMIN');
  const sysChroot = has(event.effective, 'CAP_SYS_CHROOT');
  // security/commoncap.c: cap_capset(): the new set must be a subset of the permitted one
  if ((sysAdmin && !caller.task.caps.sysAdmin) || (sysChroot && !caller.task.caps.sysChroot)) {
    return failure('EPERM', 'cap_capset: raising a capability');
  }
  return (draft) => {
    const task = draft.tasks[caller.task.pid];
    if (task !== undefined) task.caps = { sysAdmin, sysChroot };
    return success(0);
  };
}
