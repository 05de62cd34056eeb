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

/** Tasks using each fd table, to name an fd by the task that sees it. */
function tableUsers(state: State): Map<number, number[]> {
  const users = new Map<number, number[]>();
  for (const task of Object.values(state.tasks)) {
    const list = users.get(task.files);
    if (list === undefined) users.set(task.files, [task.pid]);
    else list.push(task.pid);
  }
  return users;
}

const tasksText = (pids: readonly number[] | undefined): string =>
  pids === undefined || pids.length === 0 ? 'no task' : `task${pids.length === 1 ? '' : 's'} ${pids.join(', ')}`;

/** Every counted reference in the state, per object. */
export function listReferences(state: State): References {
  const table = new Map<string, Holder[]>();
  const add = (kind: CountedKind, id: number, holder: ObjectRef | null, description: string): void => {
    const key = objectKey(kind, id);
    const list = table.get(key);
    if (list === undefined) table.set(key, [{ holder, description }]);
    else list.push({ holder, description });
  };
  const fsUsers = new Map<number, number[]>();
  for (const task of Object.values(state.tasks)) {
    const holder = ref('task', task.pid);
    add('mnt_namespace', task.mntNs, holder, `the nsproxy of task ${task.pid}`);
    add('fs_struct', task.fs, holder, `task ${task.pid}`);
    add('files_struct', task.files, holder, `task ${task.pid}`);
    const list = fsUsers.get(task.fs);
    if (list === undefined) fsUsers.set(task.fs, [task.pid]);
    else list.push(task.pid);
  }
  for (const fs of Object.values(state.fsStructs)) {
    const holder = ref('fs_struct', fs.id);
    const who = `${tasksText(fsUsers.get(fs.id))} (fs_struct ${fs.id})`;
    for (const [path, what] of [[fs.root, 'root'], [fs.pwd, 'cwd']] as const) {
      add('mount', path.mnt, holder, `the ${what} of ${who}`);
      add('dentry', path.dentry, holder, `the ${what} of ${who}`);
    }
  }
  const users = tableUsers(state);
  for (const fdTable of Object.values(state.filesStructs)) {
    const holder = ref('files_struct', fdTable.id);
    for (const [fdNumber, file] of Object.entries(fdTable.fdt)) {
      add('file', file, holder, `fd ${fdNumber} of ${tasksText(users.get(fdTable.id))} (files_struct ${fdTable.id})`);
    }
  }
  for (const file of Object.values(state.files)) {
    const holder = ref('file', file.id);
    if (file.kind === 'socket') {
      file.receiveQueue.forEach((message, index) => {
        for (const inflight of message) add('file', inflight, holder, `message ${index + 1} in flight on socket file ${file.id}`);
      });
    } else if (file.kind === 'fscontext') {
      if (file.sb !== null) add('super_block', file.sb, holder, `the fs_context of file ${file.id}`);
    } else {
      add('mount', file.f_path.mnt, holder, `file ${file.id}`);
      add('dentry', file.f_path.dentry, holder, `file ${file.id}`);
    }
  }
  for (const mount of Object.values(state.mounts)) {
    const holder = ref('mount', mount.id);
    if (mount.mnt_ns !== null) add('mount', mount.id, ref('mnt_namespace', mount.mnt_ns), `the tree of namespace ${mount.mnt_ns}`);
    else if (mount.internal) add('mount', mount.id, null, 'the kernel (an internal mount)');
    else if (mount.mnt_parent !== null) add('mount', mount.id, ref('mount', mount.mnt_parent), `its parent mount ${mount.mnt_parent} (unmounted)`);
    add('super_block', mount.mnt_sb, holder, `mount ${mount.id}`);
    add('dentry', mount.mnt_root, holder, `the root of mount ${mount.id}`);
    if (mount.mnt_parent !== null && mount.mnt_mountpoint !== null) add('mountpoint', mount.mnt_mountpoint, holder, `mount ${mount.id}`);
  }
  for (const dentry of Object.values(state.dentries)) {
    if (dentry.kind === 'nsfs') add('mnt_namespace', dentry.ns, ref('dentry', dentry.id), `its nsfs inode (dentry ${dentry.id})`);
  }
  for (const ns of Object.values(state.mntNamespaces)) {
    // alloc_mnt_ns()'s reference, dropped when the tree dissolves
    if (ns.anon) add('mnt_namespace', ns.id, ref('mnt_namespace', ns.id), 'its own detached tree (an anonymous namespace)');
  }
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

/** Every allocated object with a stored reference count, with that count. */
export function countedObjects(state: State): CountedObject[] {
  const objects: CountedObject[] = [];
  const push = (kind: CountedKind, what: string, field: string, id: number, count: number): void => {
    objects.push({ kind, id, what, field, count });
  };
  for (const m of Object.values(state.mounts)) push('mount', 'mount', 'mnt_count', m.id, m.mnt_count);
  for (const ns of Object.values(state.mntNamespaces)) push('mnt_namespace', 'mount namespace', 'count', ns.id, ns.count);
  for (const sb of Object.values(state.superBlocks)) push('super_block', 'superblock', 's_active', sb.id, sb.s_active);
  for (const file of Object.values(state.files)) push('file', 'file', 'f_count', file.id, file.f_count);
  for (const fs of Object.values(state.fsStructs)) push('fs_struct', 'fs_struct', 'users', fs.id, fs.users);
  for (const t of Object.values(state.filesStructs)) push('files_struct', 'files_struct', 'count', t.id, t.count);
  for (const mp of Object.values(state.mountpoints)) push('mountpoint', 'mountpoint on dentry', 'm_count', mp.m_dentry, mp.m_count);
  for (const dentry of Object.values(state.dentries)) {
    if (dentry.kind === 'nsfs') push('dentry', 'nsfs dentry', 'd_count', dentry.id, dentry.d_count);
  }
  return objects;
}
