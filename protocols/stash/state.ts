// The state of the nsfs stash protocol: namespaces with their stashed dentry pointer, the nsfs
// dentries and inodes, the tasks running path_from_stashed() and dput(), and the RCU callbacks
// waiting for a grace period. Plain data, one table per kind, branded ids; a dentry id is its
// memory: a freed dentry's slot is reused by the next allocation, as the slab allocator does.

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type TaskId = Brand<number, 'StashTaskId'>;
export type NsId = Brand<number, 'StashNsId'>;
export type DentryId = Brand<number, 'StashDentryId'>;
export type InodeId = Brand<number, 'StashInodeId'>;

export const taskId = (n: number): TaskId => n as TaskId;
export const nsId = (n: number): NsId => n as NsId;
export const dentryId = (n: number): DentryId => n as DentryId;
export const inodeId = (n: number): InodeId => n as InodeId;

/** The RCU machinery (grace-period kthread and callback processing) acts as task 0. */
export const RCU_TASK = taskId(0);

/** struct ns_common, the part nsfs uses. */
export interface NsCommon {
  readonly id: NsId;
  readonly stashed: DentryId | null; // ns_common.stashed
  readonly count: number; // ns_common.__ns_ref
}

/** struct dentry of nsfs (d_alloc_anon), and the memory it lives in. */
export interface Dentry {
  readonly id: DentryId;
  readonly d_lockref: { readonly count: number; readonly dead: boolean }; // dentry.d_lockref
  readonly d_inode: InodeId; // dentry.d_inode
  readonly ns: NsId; // dentry.d_fsdata = &ns->stashed
  /** 'allocated' until __d_free() runs; a freed slot keeps its last contents until reused. */
  readonly memory: 'allocated' | 'freed';
  /** Clock of the step that stored it in ns->stashed, and of the one that removed it. */
  readonly publishedAt: number | null;
  readonly unpublishedAt: number | null;
}

/** struct inode of nsfs: i_private is the namespace, whose reference the inode owns. */
export interface Inode {
  readonly id: InodeId;
  readonly i_private: NsId; // inode.i_private
  readonly evicted: boolean;
  /** How many times the namespace reference this inode owns has been dropped. */
  readonly nsPuts: number;
}

/** A queued call_rcu(&dentry->d_u.d_rcu, __d_free). */
export interface RcuCallback {
  readonly dentry: DentryId;
  readonly queuedAt: number;
  readonly phase: 'waiting' | 'ready';
}

export type StashPc =
  | 'stashed_dentry_get:rcu_read_lock'
  | 'stashed_dentry_get:read'
  | 'stashed_dentry_get:lockref_get_not_dead'
  | 'stashed_dentry_get:rcu_read_unlock'
  | 'path_from_stashed:put_data'
  | 'prepare_anon_dentry'
  | 'stash_dentry:rcu_read_lock'
  | 'stash_dentry:cmpxchg'
  | 'stash_dentry:lockref_get_not_dead'
  | 'stash_dentry:try_cmpxchg'
  | 'stash_dentry:rcu_read_unlock'
  | 'dput'
  | '__dentry_kill:evict'
  | '__dentry_kill:dentry_free'
  | 'done';

/** A task running ns_get_path() on its namespace, then dropping the dentry it got. */
export interface StashTask {
  readonly id: TaskId;
  readonly ns: NsId;
  readonly pc: StashPc;
  /** Clock at its rcu_read_lock(), while inside a read section. */
  readonly rcuSince: number | null;
  /** Holds the namespace reference ns_get_path() took (the "data" path_from_stashed hands on). */
  readonly holdsNsRef: boolean;
  /** Which inode that reference was handed to by prepare_anon_dentry(). */
  readonly dataOwner: InodeId | null;
  /** stashed_dentry_get()'s dentry, stash_dentry()'s old. */
  readonly seen: DentryId | null;
  /** Whether lockref_get_not_dead() on `seen` succeeded. */
  readonly gotRef: boolean;
  /** The dentry prepare_anon_dentry() made. */
  readonly mine: DentryId | null;
  /** stash_dentry()'s result, held until it returns. */
  readonly res: DentryId | null;
  /** path->dentry: the dentry the get returned, held until dropped. */
  readonly got: DentryId | null;
  /** The dentry a dput() in progress is killing. */
  readonly killing: DentryId | null;
}

export interface StashState {
  /** Steps taken so far; read sections and publications are stamped with it. */
  readonly clock: number;
  readonly namespaces: Readonly<Record<NsId, NsCommon>>;
  readonly dentries: Readonly<Record<DentryId, Dentry>>;
  readonly inodes: Readonly<Record<InodeId, Inode>>;
  readonly tasks: Readonly<Record<TaskId, StashTask>>;
  readonly rcuCallbacks: readonly RcuCallback[];
  readonly nextDentry: number;
  readonly nextInode: number;
}

/** Each namespace's own reference (its nsproxy), besides the ones tasks and inodes hold. */
export const NS_BASE_REFS = 1;

/** Tasks 1 and 2 get namespace 1's dentry, task 3 namespace 2's (its dentry can reuse freed memory). */
export const TASK_NAMESPACES: readonly (readonly [number, number])[] = [
  [1, 1],
  [2, 1],
  [3, 2],
];

export function initialStashState(): StashState {
  const tasks: Record<number, StashTask> = {};
  const namespaces: Record<number, NsCommon> = {};
  for (const [task, ns] of TASK_NAMESPACES) {
    tasks[task] = {
      id: taskId(task),
      ns: nsId(ns),
      pc: 'stashed_dentry_get:rcu_read_lock',
      rcuSince: null,
      holdsNsRef: true,
      dataOwner: null,
      seen: null,
      gotRef: false,
      mine: null,
      res: null,
      got: null,
      killing: null,
    };
    const current = namespaces[ns];
    namespaces[ns] = { id: nsId(ns), stashed: null, count: (current?.count ?? NS_BASE_REFS) + 1 };
  }
  return { clock: 0, namespaces, dentries: {}, inodes: {}, tasks, rcuCallbacks: [], nextDentry: 1, nextInode: 1 };
}
