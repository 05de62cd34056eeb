// kernel/ptrace.c: __ptrace_may_access() in the mode /proc's links use, PTRACE_MODE_READ_FSCREDS,
// with the LSM hook it ends in, security/commoncap.c: cap_ptrace_access_check(). The model's
// credentials decide it: every task is uid 0 (each user namespace maps its creator, kuid 0, as
// `unshare -r` does), every mm is dumpable (SUID_DUMP_USER: no task changes its uids, and
// neither CLONE_NEWUSER nor lowering capabilities clears it in commit_creds()), CAP_SYS_PTRACE is
// never dropped (capset only lowers CAP_SYS_ADMIN and CAP_SYS_CHROOT). What is left is the user
// namespace rule: a task may inspect one in its own user namespace, or one in a user namespace it
// has CAP_SYS_PTRACE over (its own descendants); not one in an ancestor or a sibling.
import type { State, Task } from '../state.js';
import { userNsCapable } from './capability.js';

/** kernel/ptrace.c: __ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS) == 0 */
export function ptraceMayAccess(state: State, caller: Task, target: Task): boolean {
  // same_thread_group(task, current): a task may always inspect itself (no task is a thread here)
  if (caller.pid === target.pid) return true;
  // caller_uid (fsuid) == tcred->euid, suid, uid and caller_gid == egid, sgid, gid: every task is
  // kuid 0 / kgid 0, so this is always true and ptrace_has_cap(tcred->user_ns) is not consulted.
  // get_dumpable(mm) != SUID_DUMP_USER && !ptrace_has_cap(mm->user_ns): every mm is dumpable.
  // security_ptrace_access_check() -> cap_ptrace_access_check():
  return capPtraceAccessCheck(state, caller, target);
}

/** The capabilities the model tracks, as sets compared by cap_issubset(). */
function capIssubset(subset: Task['caps'], set: Task['caps']): boolean {
  return (!subset.sysAdmin || set.sysAdmin) && (!subset.sysChroot || set.sysChroot);
}

/** security/commoncap.c: cap_ptrace_access_check() with PTRACE_MODE_FSCREDS (caller's cap_effective). */
function capPtraceAccessCheck(state: State, caller: Task, target: Task): boolean {
  // cred->user_ns == child_cred->user_ns && cap_issubset(child_cred->cap_permitted, cap_effective)
  // (the model's set is both the permitted and the effective set, as the oracle's capset keeps it)
  if (caller.userNs === target.userNs && capIssubset(target.caps, caller.caps)) return true;
  // ns_capable(child_cred->user_ns, CAP_SYS_PTRACE)
  return userNsCapable(state, caller, target.userNs, true);
}
