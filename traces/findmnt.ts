// Every mount namespace's mount tree drawn the way findmnt(8) draws it: TARGET as an indented tree
// (the mountpoint path as seen from the namespace root), then SOURCE (the device, and the bound
// subdirectory in brackets), FSTYPE, ID, PROPAGATION as /proc/PID/mountinfo's optional fields
// (`shared:1 master:2`), and OPTIONS. Anonymous namespaces (open_tree, fsmount), mounts still held
// after a lazy umount, and kernel-internal mounts are drawn too, each marked as such.
import type { DentryId, Mount, MountId, State } from '../model/index.js';

/** The path of a dentry below `root` in one directory tree: "/a/b"; "/" for root itself. */
export function dentryPath(state: State, dentry: DentryId, root: DentryId): string {
  const names: string[] = [];
  let current: DentryId | null = dentry;
  let guard = 0;
  while (current !== null && current !== root && guard++ < 10_000) {
    const entry: State['dentries'][DentryId] | undefined = state.dentries[current];
    if (entry === undefined) break;
    if (entry.kind === 'nsfs') return `mnt:[${entry.i_ino}]`;
    names.unshift(entry.d_name);
    current = entry.d_parent;
  }
  return `/${names.join('/')}`;
}

const join = (base: string, rest: string): string => (base === '/' ? rest : rest === '/' ? base : `${base}${rest}`);

/** The mountpoint path of a mount as seen from the root of its tree (d_path up to the tree's root). */
export function mountPath(state: State, id: MountId): string {
  let path = '/';
  let current = state.mounts[id];
  let guard = 0;
  while (current !== undefined && current.mnt_parent !== null && current.mnt_mountpoint !== null && guard++ < 10_000) {
    const parent: Mount | undefined = state.mounts[current.mnt_parent];
    if (parent === undefined) break;
    // the tree root's own mountpoint (rootfs for the real root) is not part of any path
    if (parent.mnt_parent === null && parent.mnt_ns !== null && state.mntNamespaces[parent.mnt_ns]?.root === parent.id && current.mnt_mountpoint === parent.mnt_root) {
      break;
    }
    path = join(dentryPath(state, current.mnt_mountpoint, parent.mnt_root), path);
    current = parent;
  }
  return path;
}

/** `shared:1 master:2`, `unbindable`, or `private`. */
export function propagationText(state: State, mount: Mount): string {
  const fields: string[] = [];
  if (mount.mnt_group_id !== null) fields.push(`shared:${mount.mnt_group_id}`);
  if (mount.mnt_master !== null) {
    const group = state.mounts[mount.mnt_master]?.mnt_group_id;
    fields.push(`master:${group ?? `?(mount ${mount.mnt_master})`}`);
  }
  if (mount.unbindable) fields.push('unbindable');
  return fields.length === 0 ? 'private' : fields.join(' ');
}

/** `ro,nosuid,locked`: the access mode, the flags set, the lock bits. */
export function optionsText(mount: Mount): string {
  const { flags } = mount;
  const options = [flags.readonly ? 'ro' : 'rw'];
  if (flags.nosuid) options.push('nosuid');
  if (flags.nodev) options.push('nodev');
  if (flags.noexec) options.push('noexec');
  if (flags.locked) options.push('locked');
  const locks = [
    flags.lockReadonly ? 'ro' : null,
    flags.lockNosuid ? 'nosuid' : null,
    flags.lockNodev ? 'nodev' : null,
    flags.lockNoexec ? 'noexec' : null,
  ].filter((lock) => lock !== null);
  if (locks.length > 0) options.push(`lock(${locks.join(',')})`);
  return options.join(',');
}

/** `0:5`, with the bound subdirectory: `0:5[/a]`, or the namespace of an nsfs mount. */
export function sourceText(state: State, mount: Mount): string {
  const sb = state.superBlocks[mount.mnt_sb];
  if (sb === undefined) return `?(superblock ${mount.mnt_sb})`;
  const device = `0:${sb.s_dev}`;
  return mount.mnt_root === sb.s_root ? device : `${device}[${dentryPath(state, mount.mnt_root, sb.s_root)}]`;
}

const fstypeOf = (state: State, mount: Mount): string => state.superBlocks[mount.mnt_sb]?.s_type ?? '?';

interface Row {
  readonly target: string;
  readonly mount: Mount;
}

/** The rows of one tree in pre-order, TARGET prefixed with findmnt's tree lines. */
function treeRows(state: State, root: MountId): Row[] {
  const rows: Row[] = [];
  const seen = new Set<MountId>();
  const visit = (id: MountId, prefix: string, branch: string): void => {
    const mount = state.mounts[id];
    if (mount === undefined || seen.has(id)) return;
    seen.add(id);
    rows.push({ target: `${prefix}${branch}${mountPath(state, id)}`, mount });
    const childPrefix = branch === '' ? prefix : `${prefix}${branch === '└─' ? '  ' : '│ '}`;
    mount.mnt_mounts.forEach((child, index) => visit(child, childPrefix, index === mount.mnt_mounts.length - 1 ? '└─' : '├─'));
  };
  visit(root, '', '');
  return rows;
}

function table(state: State, rows: readonly Row[], mark: (mount: Mount) => string): string[] {
  const cells = rows.map(({ target, mount }) => [
    target,
    sourceText(state, mount),
    fstypeOf(state, mount),
    String(mount.id),
    propagationText(state, mount),
    `${optionsText(mount)}${mark(mount)}`,
  ]);
  const header = ['TARGET', 'SOURCE', 'FSTYPE', 'ID', 'PROPAGATION', 'OPTIONS'];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)];
}

const noMark = (): string => '';

/** Every namespace's tree, then detached, unmounted-but-held and kernel-internal mounts. */
export function drawMountTrees(state: State): string {
  const out: string[] = [];
  const drawn = new Set<MountId>();
  const draw = (title: string, root: MountId, mark: (mount: Mount) => string = noMark): void => {
    const rows = treeRows(state, root);
    for (const row of rows) drawn.add(row.mount.id);
    out.push(title, ...table(state, rows, mark).map((line) => `  ${line}`));
  };
  const namespaces = Object.values(state.mntNamespaces).sort((a, b) => a.id - b.id);
  for (const ns of namespaces) {
    if (ns.anon) continue;
    draw(`mount namespace ${ns.id} (seq ${ns.seq}, ${ns.nr_mounts} mounts, count ${ns.count})`, ns.root);
  }
  for (const ns of namespaces) {
    if (!ns.anon) continue;
    draw(`anonymous namespace ${ns.id}: a detached tree (open_tree or fsmount), ${ns.nr_mounts} mounts`, ns.root);
  }
  const mounts = Object.values(state.mounts).sort((a, b) => a.id - b.id);
  for (const mount of mounts) {
    if (drawn.has(mount.id) || mount.internal || mount.mnt_ns !== null || mount.mnt_parent !== null) continue;
    draw(`unmounted, still held (mnt_count ${mount.mnt_count}): mount ${mount.id} and what hangs below it`, mount.id, () => ' (unmounted)');
  }
  for (const mount of mounts) {
    if (drawn.has(mount.id) || mount.internal) continue;
    draw(`unmounted, still held below a freed parent: mount ${mount.id}`, mount.id, () => ' (unmounted)');
  }
  for (const mount of mounts) {
    if (drawn.has(mount.id) || !mount.internal) continue;
    draw(`kernel-internal mount ${mount.id}`, mount.id);
  }
  return out.join('\n');
}
