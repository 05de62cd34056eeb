// Who holds a reference to what: every counted reference the state implies, listed per object with
// its holder and a description. refcounts-sound compares the length of each list with the stored
// count; `mntns replay --refs` prints the lists. The conventions are those of the kernel:
// - mount: 1 tree reference while in a namespace, kernel-internal, or still connected to a parent
//   (a lazily unmounted child stays connected to its unmounted parent), plus one per struct file
//   on it and one per fs_struct root and pwd on it;
// - mount namespace: one per task (nsproxy) in it, plus one for its live nsfs inode; an anonymous
//   one (open_tree, fsmount) holds the single reference it was allocated with;
// - an fs_context file holds one s_active on the superblock it created;
// - superblock s_active: one per mount of it;
// - struct file: one per descriptor slot (each fd table counted once), one per message in flight;
// - fs_struct users and files_struct count: one per task using it;
// - nsfs dentry: one per struct file and per mount rooted at it;
// - struct mountpoint: one per mount sitting on its dentry.
import type { State } from '../model/index.js';
import type { ObjectKind, ObjectRef } from './invariant.js';
import { ref } from './invariant.js';

/** The kinds of object whose references are counted. */
export type CountedKind = Exclude<ObjectKind, 'task'>;

export interface Holder {
  /** The object holding the reference; null for the kernel itself (a kernel-internal mount). */
  readonly holder: ObjectRef | null;
  /** The reference in words: "the tree of namespace 2", "fd 4 of task 3 (file 6)". */
  readonly description: string;
}

/** Key of an object in a References table: "mount:7". */
export const objectKey = (kind: ObjectKind, id: number): string => `${kind}:${id}`;

export type References = ReadonlyMap<string, readonly Holder[]>;

/** Why a reference is held: the kernel pointer it stands for. */
export type Reason =
  | 'nsproxy' // task->nsproxy->mnt_ns
  | 'fs' // task->fs
  | 'files' // task->files
  | 'root' // fs->root
  | 'cwd' // fs->pwd
  | 'fd' // files->fdt->fd[detail]
  | 'in-flight' // an SCM_RIGHTS message (number detail) on a socket
  | 'fs-context' // fc->root's superblock
  | 'file' // file->f_path
  | 'tree' // the namespace's mount tree
  | 'kernel' // a kernel-internal mount
  | 'parent' // still connected to an unmounted parent
  | 'mount' // mnt->mnt_sb, or a mount sitting on a mountpoint
  | 'mount-root' // mnt->mnt_root
  | 'nsfs-inode' // the nsfs inode's ns reference
  | 'anon-ns'; // alloc_mnt_ns()'s reference of an anonymous namespace

/**
 * Calls `visit` once per counted reference: the object referred to, its holder (null for the
 * kernel), why, and a number some reasons carry (the fd, the message). No allocation per
 * reference, since refcounts-sound runs this after every event.
 */
export type Visit = (kind: CountedKind, id: number, holderKind: ObjectKind | null, holderId: number, reason: Reason, detail: number) => void;

export function forEachReference(state: State, visit: Visit): void {
  for (const task of Object.values(state.tasks)) {
    visit('mnt_namespace', task.mntNs, 'task', task.pid, 'nsproxy', 0);
    visit('fs_struct', task.fs, 'task', task.pid, 'fs', 0);
    visit('files_struct', task.files, 'task', task.pid, 'files', 0);
  }
  for (const fs of Object.values(state.fsStructs)) {
    visit('mount', fs.root.mnt, 'fs_struct', fs.id, 'root', 0);
    visit('dentry', fs.root.dentry, 'fs_struct', fs.id, 'root', 0);
    visit('mount', fs.pwd.mnt, 'fs_struct', fs.id, 'cwd', 0);
    visit('dentry', fs.pwd.dentry, 'fs_struct', fs.id, 'cwd', 0);
  }
  for (const fdTable of Object.values(state.filesStructs)) {
    for (const slot in fdTable.fdt) {
      const file = fdTable.fdt[Number(slot) as keyof typeof fdTable.fdt];
      if (file !== undefined) visit('file', file, 'files_struct', fdTable.id, 'fd', Number(slot));
    }
  }
  for (const file of Object.values(state.files)) {
    if (file.kind === 'socket') {
      for (let index = 0; index < file.receiveQueue.length; index++) {
        for (const inflight of file.receiveQueue[index] ?? []) visit('file', inflight, 'file', file.id, 'in-flight', index + 1);
      }
    } else if (file.kind === 'fscontext') {
      if (file.sb !== null) visit('super_block', file.sb, 'file', file.id, 'fs-context', 0);
    } else {
      visit('mount', file.f_path.mnt, 'file', file.id, 'file', 0);
      visit('dentry', file.f_path.dentry, 'file', file.id, 'file', 0);
    }
  }
  for (const mount of Object.values(state.mounts)) {
    if (mount.mnt_ns !== null) visit('mount', mount.id, 'mnt_namespace', mount.mnt_ns, 'tree', 0);
    else if (mount.internal) visit('mount', mount.id, null, 0, 'kernel', 0);
    else if (mount.mnt_parent !== null) visit('mount', mount.id, 'mount', mount.mnt_parent, 'parent', 0);
    visit('super_block', mount.mnt_sb, 'mount', mount.id, 'mount', 0);
    visit('dentry', mount.mnt_root, 'mount', mount.id, 'mount-root', 0);
    if (mount.mnt_parent !== null && mount.mnt_mountpoint !== null) visit('mountpoint', mount.mnt_mountpoint, 'mount', mount.id, 'mount', 0);
  }
  for (const dentry of Object.values(state.dentries)) {
    if (dentry.kind === 'nsfs') visit('mnt_namespace', dentry.ns, 'dentry', dentry.id, 'nsfs-inode', 0);
  }
  for (const ns of Object.values(state.mntNamespaces)) {
    // alloc_mnt_ns()'s reference, dropped when the tree dissolves
    if (ns.anon) visit('mnt_namespace', ns.id, 'mnt_namespace', ns.id, 'anon-ns', 0);
  }
}

export type ReferenceCounts = Readonly<Record<CountedKind, ReadonlyMap<number, number>>>;

/** How many references each object has, per kind. */
export function countReferences(state: State): ReferenceCounts {
  const counts: Record<CountedKind, Map<number, number>> = {
    fs_struct: new Map(),
    files_struct: new Map(),
    file: new Map(),
    mnt_namespace: new Map(),
    mount: new Map(),
    super_block: new Map(),
    dentry: new Map(),
    mountpoint: new Map(),
  };
  forEachReference(state, (kind, id) => {
    const table = counts[kind];
    table.set(id, (table.get(id) ?? 0) + 1);
  });
  return counts;
}

/** Tasks using each fs_struct or fd table, to name a reference by the tasks that see it. */
function usersOf(state: State): { fs: Map<number, number[]>; files: Map<number, number[]> } {
  const fs = new Map<number, number[]>();
  const files = new Map<number, number[]>();
  const push = (map: Map<number, number[]>, key: number, pid: number): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [pid]);
    else list.push(pid);
  };
  for (const task of Object.values(state.tasks)) {
    push(fs, task.fs, task.pid);
    push(files, task.files, task.pid);
  }
  return { fs, files };
}

const tasksText = (pids: readonly number[] | undefined): string =>
  pids === undefined || pids.length === 0 ? 'no task' : `task${pids.length === 1 ? '' : 's'} ${pids.join(', ')}`;

/** Every counted reference in the state, per object, each with its holder described. */
export function listReferences(state: State): References {
  const table = new Map<string, Holder[]>();
  const users = usersOf(state);
  const describe = (holderId: number, reason: Reason, detail: number): string => {
    switch (reason) {
      case 'nsproxy':
        return `the nsproxy of task ${holderId}`;
      case 'fs':
      case 'files':
        return `task ${holderId}`;
      case 'root':
      case 'cwd':
        return `the ${reason} of ${tasksText(users.fs.get(holderId))} (fs_struct ${holderId})`;
      case 'fd':
        return `fd ${detail} of ${tasksText(users.files.get(holderId))} (files_struct ${holderId})`;
      case 'in-flight':
        return `message ${detail} in flight on socket file ${holderId}`;
      case 'fs-context':
        return `the fs_context of file ${holderId}`;
      case 'file':
        return `file ${holderId}`;
      case 'tree':
        return `the tree of namespace ${holderId}`;
      case 'kernel':
        return 'the kernel (an internal mount)';
      case 'parent':
        return `its parent mount ${holderId} (unmounted)`;
      case 'mount':
        return `mount ${holderId}`;
      case 'mount-root':
        return `the root of mount ${holderId}`;
      case 'nsfs-inode':
        return `its nsfs inode (dentry ${holderId})`;
      case 'anon-ns':
        return 'its own detached tree (an anonymous namespace)';
    }
  };
  forEachReference(state, (kind, id, holderKind, holderId, reason, detail) => {
    const key = objectKey(kind, id);
    const holder: Holder = { holder: holderKind === null ? null : ref(holderKind, holderId), description: describe(holderId, reason, detail) };
    const list = table.get(key);
    if (list === undefined) table.set(key, [holder]);
    else list.push(holder);
  });
  return table;
}

/** The holders of one object: empty when nothing holds it. */
export function holdersOf(references: References, kind: ObjectKind, id: number): readonly Holder[] {
  return references.get(objectKey(kind, id)) ?? [];
}

export interface CountedObject {
  readonly kind: CountedKind;
  readonly id: number;
  /** What the object is called in sentences: "mount", "nsfs dentry". */
  readonly what: string;
  /** The field its count is stored in, as the kernel names it. */
  readonly field: string;
  readonly count: number;
}

/** Calls `visit` once per allocated object with a stored reference count, with that count (no allocation per object). */
export function forEachCounted(
  state: State,
  visit: (kind: CountedKind, what: string, field: string, id: number, count: number) => void,
): void {
  for (const m of Object.values(state.mounts)) visit('mount', 'mount', 'mnt_count', m.id, m.mnt_count);
  for (const ns of Object.values(state.mntNamespaces)) visit('mnt_namespace', 'mount namespace', 'count', ns.id, ns.count);
  for (const sb of Object.values(state.superBlocks)) visit('super_block', 'superblock', 's_active', sb.id, sb.s_active);
  for (const file of Object.values(state.files)) visit('file', 'file', 'f_count', file.id, file.f_count);
  for (const fs of Object.values(state.fsStructs)) visit('fs_struct', 'fs_struct', 'users', fs.id, fs.users);
  for (const t of Object.values(state.filesStructs)) visit('files_struct', 'files_struct', 'count', t.id, t.count);
  for (const mp of Object.values(state.mountpoints)) visit('mountpoint', 'mountpoint on dentry', 'm_count', mp.m_dentry, mp.m_count);
  for (const dentry of Object.values(state.dentries)) {
    if (dentry.kind === 'nsfs') visit('dentry', 'nsfs dentry', 'd_count', dentry.id, dentry.d_count);
  }
}

/** Every allocated object with a stored reference count, with that count. */
export function countedObjects(state: State): CountedObject[] {
  const objects: CountedObject[] = [];
  forEachCounted(state, (kind, what, field, id, count) => objects.push({ kind, id, what, field, count }));
  return objects;
}
