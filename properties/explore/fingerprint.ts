// A canonical fingerprint of a state, so that exploration visits each state once however it was
// reached. Internal ids (mounts, namespaces, superblocks, dentries, files, fs_structs, fd tables,
// user namespaces, peer groups, and the numbers derived from them: the namespace loop order, s_dev,
// nsfs inode numbers) are relabelled by their rank among the live ones: two states that differ only
// in which ids were allocated and freed on the way collapse, and the relabelling keeps every order
// the model can act on (namespaces compare by seq; peers and children are read in id order).
// What events name stays as it is: pids, fd numbers, and the next pid a clone will get. The
// allocation counters for internal ids are left out, since relabelling makes them irrelevant.
//
// One walk, writeCanonical(), emits the canonical form as a stream of tokens (every list preceded
// by its length, so the stream parses one way only). canonicalState() keeps the tokens as text to
// read and compare; fingerprint() hashes them as they come, without building the text.
import type { Dentry, File, Mount, State } from '../../model/index.js';
import { Hash64 } from './hash64.js';

/** Where the canonical tokens of a state go. */
export interface TokenSink {
  /** An integer, or null: the two never collide. */
  int(value: number | null): void;
  str(value: string): void;
  bool(value: boolean): void;
}

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

/** Emit the canonical form of a state: equal token streams for states that differ only in internal id labels. */
export function writeCanonical(state: State, out: TokenSink): void {
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

  /** A relabelled id; an id missing from its table (a dangling one) keeps itself, negated. */
  const id = (map: Map<number, number>, value: number | null): void => out.int(value === null ? null : (map.get(value) ?? -1 - value));
  const path = (p: { mnt: number; dentry: number }): void => {
    id(mount, p.mnt);
    id(dentry, p.dentry);
  };
  const fileTokens = (f: File): void => {
    switch (f.kind) {
      case 'path':
        out.str('p');
        out.int(f.f_count);
        path(f.f_path);
        out.bool(f.fmodePath);
        out.bool(f.needUnmount);
        return;
      case 'socket':
        out.str('s');
        out.int(f.f_count);
        id(file, f.peer);
        out.int(f.receiveQueue.length);
        for (const message of f.receiveQueue) {
          out.int(message.length);
          for (const inflight of message) id(file, inflight);
        }
        out.str(f.sk_err ?? '');
        return;
      case 'fscontext':
        out.str('c');
        out.int(f.f_count);
        out.str(f.fs_type);
        id(userNs, f.user_ns);
        out.str(f.phase);
        id(sb, f.sb);
        return;
    }
  };
  const dentryTokens = (d: Dentry): void => {
    out.str(d.kind);
    id(sb, d.d_sb);
    id(dentry, d.d_parent);
    out.str(d.d_name);
    out.bool(d.unlinked);
    if (d.kind === 'dir') {
      const children = Object.entries(d.d_subdirs).sort(([a], [b]) => (a < b ? -1 : 1));
      out.int(children.length);
      for (const [name, child] of children) {
        out.str(name);
        id(dentry, child);
      }
    } else if (d.kind === 'nsfs') {
      id(ns, d.ns);
      out.int(d.d_count);
      id(ino, d.i_ino);
    }
  };
  const flags = (m: Mount['flags']): void => {
    out.int(
      (m.readonly ? 1 : 0) |
        (m.nosuid ? 2 : 0) |
        (m.nodev ? 4 : 0) |
        (m.noexec ? 8 : 0) |
        (m.locked ? 16 : 0) |
        (m.lockReadonly ? 32 : 0) |
        (m.lockNosuid ? 64 : 0) |
        (m.lockNodev ? 128 : 0) |
        (m.lockNoexec ? 256 : 0),
    );
  };

  out.int(state.next.pid);
  const tasks = Object.values(state.tasks);
  out.int(tasks.length);
  for (const t of tasks) {
    out.int(t.pid);
    id(ns, t.mntNs);
    id(fsStruct, t.fs);
    id(filesStruct, t.files);
    id(userNs, t.userNs);
    out.bool(t.caps.sysAdmin);
    out.bool(t.caps.sysChroot);
  }
  const fsStructs = Object.values(state.fsStructs);
  out.int(fsStructs.length);
  for (const s of fsStructs) {
    out.int(s.users);
    path(s.root);
    path(s.pwd);
  }
  const filesStructs = Object.values(state.filesStructs);
  out.int(filesStructs.length);
  for (const s of filesStructs) {
    out.int(s.count);
    const fds = Object.entries(s.fdt);
    out.int(fds.length);
    for (const [fd, open] of fds) {
      out.int(Number(fd));
      id(file, open);
    }
  }
  const files = Object.values(state.files);
  out.int(files.length);
  for (const f of files) fileTokens(f);
  out.int(namespaces.length);
  for (const n of namespaces) {
    id(seq, n.seq);
    id(mount, n.root);
    out.int(n.count);
    out.int(n.nr_mounts);
    id(dentry, n.stashed);
    id(userNs, n.user_ns);
    out.bool(n.anon);
    id(seq, n.seq_origin);
  }
  const userNamespaces = Object.values(state.userNamespaces);
  out.int(userNamespaces.length);
  for (const u of userNamespaces) id(userNs, u.parent);
  out.int(mounts.length);
  for (const m of mounts) {
    id(mount, m.mnt_parent);
    id(dentry, m.mnt_mountpoint);
    id(dentry, m.mnt_root);
    id(sb, m.mnt_sb);
    id(ns, m.mnt_ns);
    out.bool(m.internal);
    out.int(m.mnt_count);
    out.int(m.mnt_mounts.length);
    for (const child of m.mnt_mounts) id(mount, child);
    flags(m.flags);
    out.bool(m.mnt_expiry_mark);
    id(group, m.mnt_group_id);
    id(mount, m.mnt_master);
    out.bool(m.unbindable);
  }
  out.int(superBlocks.length);
  for (const s of superBlocks) {
    out.str(s.s_type);
    out.int(s.s_active);
    id(dentry, s.s_root);
    id(dev, s.s_dev);
    id(userNs, s.s_user_ns);
    out.bool(s.sb_rdonly);
  }
  out.int(dentries.length);
  for (const d of dentries) dentryTokens(d);
  const mountpoints = Object.entries(state.mountpoints);
  out.int(mountpoints.length);
  for (const [dentryKey, point] of mountpoints) {
    id(dentry, Number(dentryKey));
    out.int(point.m_count);
  }
  id(mount, state.nsfsMnt);
}

/** The canonical text of a state: equal for states that differ only in internal id labels. */
export function canonicalState(state: State): string {
  const tokens: (number | string | boolean | null)[] = [];
  writeCanonical(state, { int: (value) => tokens.push(value), str: (value) => tokens.push(value), bool: (value) => tokens.push(value) });
  return JSON.stringify(tokens);
}

/** The fingerprint of a state: the 64-bit hash of its canonical tokens, as two unsigned 32-bit halves. */
export function fingerprint(state: State): [number, number] {
  const hash = new Hash64();
  writeCanonical(state, hash);
  return hash.digest();
}
