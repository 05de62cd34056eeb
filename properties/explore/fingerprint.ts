// A canonical fingerprint of a state, so that exploration visits each state once however it was
// reached. Internal ids (mounts, namespaces, superblocks, dentries, files, fs_structs, fd tables,
// user namespaces, peer groups, and the numbers derived from them: the namespace loop order, s_dev,
// nsfs inode numbers) are relabelled by their rank among the live ones: two states that differ only
// in which ids were allocated and freed on the way collapse, and the relabelling keeps every order
// the model can act on (namespaces compare by seq; peers and children are read in id order).
// What events name stays as it is: pids, fd numbers, and the next pid a clone will get. The
// allocation counters for internal ids are left out, since relabelling makes them irrelevant.
import { createHash } from 'node:crypto';
import type { Dentry, File, Mount, State } from '../../model/index.js';

/** Maps each value of a set of numbers to its rank (0, 1, 2, ...) in increasing order. */
function ranks(values: readonly number[]): Map<number, number> {
  const sorted = isAscending(values) ? values : [...new Set(values)].sort((a, b) => a - b);
  const rank = new Map<number, number>();
  for (let index = 0; index < sorted.length; index++) rank.set(sorted[index] as number, index);
  return rank;
}

/** Strictly increasing, as a table's integer keys always are: no need to sort or deduplicate. */
function isAscending(values: readonly number[]): boolean {
  for (let index = 1; index < values.length; index++) if ((values[index] as number) <= (values[index - 1] as number)) return false;
  return true;
}

const keys = (table: object): number[] => Object.keys(table).map(Number);

/** The canonical text of a state: equal for states that differ only in internal id labels. */
export function canonicalState(state: State): string {
  const mount = ranks(keys(state.mounts));
  const ns = ranks(keys(state.mntNamespaces));
  const userNs = ranks(keys(state.userNamespaces));
  const sb = ranks(keys(state.superBlocks));
  const dentry = ranks(keys(state.dentries));
  const file = ranks(keys(state.files));
  const fsStruct = ranks(keys(state.fsStructs));
  const filesStruct = ranks(keys(state.filesStructs));
  const mounts = Object.values(state.mounts) as Mount[];
  const group = ranks(mounts.flatMap((m) => (m.mnt_group_id === null ? [] : [m.mnt_group_id])));
  const namespaces = Object.values(state.mntNamespaces);
  const seq = ranks(namespaces.flatMap((n) => [n.seq, n.seq_origin]));
  const superBlocks = Object.values(state.superBlocks);
  const dev = ranks(superBlocks.map((s) => s.s_dev));
  const dentries = Object.values(state.dentries) as Dentry[];
  const ino = ranks(dentries.flatMap((d) => (d.kind === 'nsfs' ? [d.i_ino] : [])));

  const at = (map: Map<number, number>, id: number | null): number | null => (id === null ? null : (map.get(id) ?? -1 - id));
  const path = (p: { mnt: number; dentry: number }): [number | null, number | null] => [at(mount, p.mnt), at(dentry, p.dentry)];
  const fileText = (f: File): unknown => {
    switch (f.kind) {
      case 'path':
        return ['p', f.f_count, path(f.f_path), f.fmodePath, f.needUnmount];
      case 'socket':
        return ['s', f.f_count, at(file, f.peer), f.receiveQueue.map((message) => message.map((id) => at(file, id))), f.sk_err];
      case 'fscontext':
        return ['c', f.f_count, f.fs_type, at(userNs, f.user_ns), f.phase, at(sb, f.sb)];
    }
  };
  const dentryText = (d: Dentry): unknown => {
    const base = [d.kind, at(sb, d.d_sb), at(dentry, d.d_parent), d.d_name, d.unlinked];
    if (d.kind === 'dir') return [...base, Object.entries(d.d_subdirs).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, id]) => [name, at(dentry, id)])];
    if (d.kind === 'nsfs') return [...base, at(ns, d.ns), d.d_count, at(ino, d.i_ino)];
    return base;
  };
  const bit = (flag: boolean): string => (flag ? '1' : '0');
  const f = (m: Mount['flags']): string =>
    bit(m.readonly) + bit(m.nosuid) + bit(m.nodev) + bit(m.noexec) + bit(m.locked) + bit(m.lockReadonly) + bit(m.lockNosuid) + bit(m.lockNodev) + bit(m.lockNoexec);

  return JSON.stringify([
    state.next.pid,
    Object.values(state.tasks).map((t) => [t.pid, at(ns, t.mntNs), at(fsStruct, t.fs), at(filesStruct, t.files), at(userNs, t.userNs), t.caps.sysAdmin, t.caps.sysChroot]),
    Object.values(state.fsStructs).map((s) => [s.users, path(s.root), path(s.pwd)]),
    Object.values(state.filesStructs).map((s) => [s.count, Object.entries(s.fdt).map(([fd, id]) => [fd, at(file, id)])]),
    Object.values(state.files).map(fileText),
    namespaces.map((n) => [at(seq, n.seq), at(mount, n.root), n.count, n.nr_mounts, at(dentry, n.stashed), at(userNs, n.user_ns), n.anon, at(seq, n.seq_origin)]),
    Object.values(state.userNamespaces).map((u) => at(userNs, u.parent)),
    mounts.map((m) => [
      at(mount, m.mnt_parent),
      at(dentry, m.mnt_mountpoint),
      at(dentry, m.mnt_root),
      at(sb, m.mnt_sb),
      at(ns, m.mnt_ns),
      m.internal,
      m.mnt_count,
      m.mnt_mounts.map((id) => at(mount, id)),
      f(m.flags),
      m.mnt_expiry_mark,
      at(group, m.mnt_group_id),
      at(mount, m.mnt_master),
      m.unbindable,
    ]),
    superBlocks.map((s) => [s.s_type, s.s_active, at(dentry, s.s_root), at(dev, s.s_dev), at(userNs, s.s_user_ns), s.sb_rdonly]),
    dentries.map(dentryText),
    Object.entries(state.mountpoints).map(([id, point]) => [at(dentry, Number(id)), point.m_count]),
    at(mount, state.nsfsMnt),
  ]);
}

/** A 64-bit hash of a string, as two unsigned 32-bit halves (the first 8 bytes of its MD5). */
export function hash64(text: string): [number, number] {
  const digest = createHash('md5').update(text).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4)];
}

/** The fingerprint of a state: the 64-bit hash of its canonical text. */
export function fingerprint(state: State): [number, number] {
  return hash64(canonicalState(state));
}
