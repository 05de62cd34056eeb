// Capabilities against a user namespace (kernel/capability.c ns_capable(), security/commoncap.c
// cap_capable()). A task has the capabilities of its effective set in its own user namespace, and
// every capability in the user namespaces descended from it (the model has a single uid, so the
// creator of a user namespace always owns it). In any other user namespace it has none.
import type { UserNsId } from '../ids.js';
import type { Caps, State, Task } from '../state.js';

export type Capability = keyof Caps;

/** security/commoncap.c: cap_capable(): does `task` have `cap` over `target`? */
export function nsCapable(state: State, task: Task, target: UserNsId, cap: Capability): boolean {
  return userNsCapable(state, task, target, task.caps[cap]);
}

/**
 * security/commoncap.c: cap_capable() for a capability the task holds (`inOwn`) or not in its own
 * user namespace: that answer there, every capability in the user namespaces it owns, none elsewhere.
 * CAP_SYS_PTRACE, which the model never drops, is `inOwn` true.
 */
export function userNsCapable(state: State, task: Task, target: UserNsId, inOwn: boolean): boolean {
  let ns: UserNsId | null = target;
  for (let guard = 0; ns !== null && guard < 1000; guard++) {
    if (ns === task.userNs) return inOwn;
    const userNs: State['userNamespaces'][UserNsId] | undefined = state.userNamespaces[ns];
    if (userNs === undefined) return false;
    // The parent of `ns` is the task's own user namespace: the task created (owns) `ns`.
    if (userNs.parent === task.userNs) return true;
    ns = userNs.parent;
  }
  return false;
}

/** fs/namespace.c: may_mount(): CAP_SYS_ADMIN over the user namespace owning the caller's mount namespace. */
export function mayMount(state: State, task: Task): boolean {
  const ns = state.mntNamespaces[task.mntNs];
  return ns !== undefined && nsCapable(state, task, ns.user_ns, 'sysAdmin');
}

/**
 * fs/proc/root.c: proc_init_fs_context(): procfs's fc->user_ns is the owner of the caller's pid
 * namespace; the model has the initial pid namespace only, owned by the initial user namespace.
 */
export function pidNsOwner(state: State, fallback: UserNsId): UserNsId {
  return Object.values(state.userNamespaces).find((userNs) => userNs.parent === null)?.id ?? fallback;
}
