// The state of the mntput fast-path protocol: one mount in a namespace, the task unmounting it,
// and tasks that reach it by an RCU path walk, take a reference (legitimize_mnt) and drop it with
// mntput(). Plain data; the mount's per-cpu counts are kept as their sum, which is what
// mnt_get_count() reads under lock_mount_hash().

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type TaskId = Brand<number, 'MntputTaskId'>;
export const taskId = (n: number): TaskId => n as TaskId;

/** The one mount, and the namespace it is in. */
export const MOUNT = 1;
export const NAMESPACE = 1;

/** struct mount, the fields this protocol touches. */
export interface Mount {
  readonly mnt_ns: number | null; // mount.mnt_ns
  readonly mnt_count: number; // sum of mount.mnt_pcp->mnt_count
  readonly doomed: boolean; // MNT_DOOMED in mount.mnt.mnt_flags
  /** cleanup_mnt() has torn it down. */
  readonly freed: boolean;
  /** Who dropped the reference that took the count to zero, and on which path. */
  readonly finalPut: { readonly task: TaskId; readonly path: 'fast' | 'slow' } | null;
}

export type MntputPc =
  | 'umount:begin'
  | 'rcu_walk:rcu_read_lock'
  | 'rcu_walk:lookup_mnt'
  | 'rcu_walk:legitimize_mnt'
  | 'rcu_walk:rcu_read_unlock'
  | 'umount_tree'
  | 'synchronize_rcu:start'
  | 'synchronize_rcu:wait'
  | 'mntput:rcu_read_lock'
  | 'mntput:read_mnt_ns'
  | 'mntput:fast'
  | 'mntput:slow'
  | 'mntput:rcu_read_unlock'
  | 'cleanup_mnt'
  | 'done';

export interface MntputTask {
  readonly id: TaskId;
  readonly role: 'umount' | 'walker';
  readonly pc: MntputPc;
  /** Clock at its rcu_read_lock(), while inside a read section. */
  readonly rcuSince: number | null;
  /** The walker found the mount in the mount hash (lookup_mnt) and holds the pointer. */
  readonly found: boolean;
  /** Holds a reference: the namespace's for the unmounting task, legitimize_mnt()'s for a walker. */
  readonly holds: boolean;
  /** mntput's path, decided by what READ_ONCE(mnt->mnt_ns) returned. */
  readonly path: 'fast' | 'slow' | null;
  /** This task's slow path took the count to zero and set MNT_DOOMED: it runs cleanup_mnt(). */
  readonly frees: boolean;
  /** Clock at the start of its synchronize_rcu(). */
  readonly gpStart: number | null;
}

export interface MntputState {
  readonly clock: number;
  readonly mount: Mount;
  readonly tasks: Readonly<Record<TaskId, MntputTask>>;
}

/** Task 1 unmounts; tasks 2 and 3 walk to the mount under RCU and drop what they took. */
export const UMOUNT_TASK = taskId(1);
export const WALKER_TASKS: readonly TaskId[] = [taskId(2), taskId(3)];

function walker(id: TaskId): MntputTask {
  return { id, role: 'walker', pc: 'rcu_walk:rcu_read_lock', rcuSince: null, found: false, holds: false, path: null, frees: false, gpStart: null };
}

export function initialMntputState(): MntputState {
  const tasks: Record<number, MntputTask> = {
    [UMOUNT_TASK]: { id: UMOUNT_TASK, role: 'umount', pc: 'umount:begin', rcuSince: null, found: true, holds: true, path: null, frees: false, gpStart: null },
  };
  for (const id of WALKER_TASKS) tasks[id] = walker(id);
  // the only reference at the start is the one the mount tree holds for its namespace
  return { clock: 0, mount: { mnt_ns: NAMESPACE, mnt_count: 1, doomed: false, freed: false, finalPut: null }, tasks };
}
