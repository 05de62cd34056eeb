// The normalised mount table: what /proc/<pid>/mountinfo shows, in a form the model's state and
// the kernel's output can both be rendered into and compared line by line. Mount ids become
// positions (mounts sorted by mountpoint path, stacked ones bottom first), peer groups are
// numbered by first appearance across the step's namespaces, paths are relative to the reading
// task's root (fs/proc_namespace.c: show_mountinfo(), which skips mounts its root cannot reach),
// nsfs roots name the namespace by its rank.
import type { DentryId, MntNsId, MountId, Path, State, TaskId } from '../model/index.js';

/** One mount as mountinfo shows it, before relabelling. */
export interface RawMount {
  readonly key: string; // the mount's own id on its side (model mount id or kernel mnt_id)
  readonly parentKey: string;
  readonly path: readonly string[]; // mountpoint, relative to the reader's root
  readonly root: string; // the mount's root within its filesystem
  readonly fstype: string;
  readonly readonly: boolean;
  readonly nosuid: boolean;
  readonly nodev: boolean;
  readonly noexec: boolean;
  readonly sbReadonly: boolean;
  readonly shared: string | null; // peer group, on its side
  readonly master: string | null; // the master's peer group
  readonly unbindable: boolean;
}

/** A namespace seen through its lowest live pid, labelled by its rank among the step's namespaces. */
export interface NamespaceTable {
  readonly label: number;
  readonly pids: readonly number[];
  readonly mounts: readonly RawMount[];
}

const pathKey = (path: readonly string[]): string => path.join('\u0000');

/** Sort by mountpoint, a stacked mount after the one it sits on; relabel ids and groups. */
export function renderTables(tables: readonly NamespaceTable[]): string[] {
  const groups = new Map<string, number>();
  const group = (key: string): number => {
    const known = groups.get(key);
    if (known !== undefined) return known;
    groups.set(key, groups.size + 1);
    return groups.size;
  };
  const lines: string[] = [];
  for (const table of [...tables].sort((a, b) => a.label - b.label)) {
    const byKey = new Map(table.mounts.map((mount) => [mount.key, mount]));
    const depth = (mount: RawMount): number => {
      let count = 0;
      for (let parent = byKey.get(mount.parentKey); parent !== undefined && count < byKey.size; parent = byKey.get(parent.parentKey)) count++;
      return count;
    };
    const sorted = table.mounts
      .map((mount) => ({ mount, path: pathKey(mount.path), depth: depth(mount) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.depth - b.depth));
    const position = new Map(sorted.map((entry, index) => [entry.mount.key, index]));
    lines.push(`ns#${table.label} (pids ${table.pids.join(',')}):`);
    sorted.forEach(({ mount }, index) => {
      const options = [mount.readonly ? 'ro' : 'rw', ...(mount.nosuid ? ['nosuid'] : []), ...(mount.nodev ? ['nodev'] : []), ...(mount.noexec ? ['noexec'] : [])];
      const propagation = [
        ...(mount.shared === null ? [] : [`shared:${group(mount.shared)}`]),
        ...(mount.master === null ? [] : [`master:${group(mount.master)}`]),
        ...(mount.unbindable ? ['unbindable'] : []),
      ];
      const parent = position.get(mount.parentKey);
      lines.push(
        `  ${index} ${parent === undefined ? '-' : parent} /${mount.path.join('/')} ${mount.fstype} ${mount.root} ${options.join(',')} sb:${mount.sbReadonly ? 'ro' : 'rw'}${propagation.length === 0 ? '' : ` ${propagation.join(' ')}`}`,
      );
    });
  }
  return lines;
}

// ---- the kernel's side ----------------------------------------------------------------------

/** One line of /proc/<pid>/mountinfo (Documentation/filesystems/proc.rst, 3.5). */
export function parseMountinfoLine(line: string, nsLabelOfInum: (inum: string) => string): RawMount {
  const [front = '', back = ''] = line.split(' - ');
  const fields = front.split(' ');
  const [id = '', parent = '', , root = '', mountpoint = '', options = '', ...optional] = fields;
  const [fstype = '', , superOptions = ''] = back.split(' ');
  const mountOptions = options.split(',');
  const tagged = (tag: string): string | null => {
    const field = optional.find((entry) => entry.startsWith(`${tag}:`));
    return field === undefined ? null : field.slice(tag.length + 1);
  };
  const nsfsRoot = /^mnt:\[(\d+)\]$/.exec(root);
  return {
    key: id,
    parentKey: parent,
    path: mountpoint.split('/').filter((name) => name !== ''),
    root: nsfsRoot === null ? root : `mnt:[${nsLabelOfInum(nsfsRoot[1] ?? '')}]`,
    fstype,
    readonly: mountOptions.includes('ro'),
    nosuid: mountOptions.includes('nosuid'),
    nodev: mountOptions.includes('nodev'),
    noexec: mountOptions.includes('noexec'),
    sbReadonly: superOptions.split(',').includes('ro'),
    shared: tagged('shared'),
    master: tagged('master'),
    unbindable: optional.includes('unbindable'),
  };
}

// ---- the model's side -----------------------------------------------------------------------

/** prepend_path(): the names from `root` down to `target`, or null when root cannot reach it. */
export function pathFrom(state: State, root: Path, target: Path): string[] | null {
  const names: string[] = [];
  let mnt = target.mnt;
  let dentry = target.dentry;
  for (let guard = 0; guard < 100_000; guard++) {
    if (mnt === root.mnt && dentry === root.dentry) return names.reverse();
    const mount = state.mounts[mnt];
    if (mount === undefined) return null;
    if (dentry === mount.mnt_root) {
      if (mount.mnt_parent === null || mount.mnt_mountpoint === null) return null;
      dentry = mount.mnt_mountpoint;
      mnt = mount.mnt_parent;
      continue;
    }
    const entry = state.dentries[dentry];
    if (entry === undefined || entry.d_parent === null) return null;
    names.push(entry.d_name);
    dentry = entry.d_parent;
  }
  return null;
}

/** The path of a dentry inside its own filesystem, as mountinfo's root field shows it (fs/d_path.c: dentry_path(), "//deleted" after a removed one). */
function dentryPath(state: State, dentry: DentryId, nsLabel: (ns: MntNsId) => string): string {
  const names: string[] = [];
  for (let entry = state.dentries[dentry]; entry !== undefined; entry = entry.d_parent === null ? undefined : state.dentries[entry.d_parent]) {
    if (entry.kind === 'nsfs') return `mnt:[${nsLabel(entry.ns)}]`;
    if (entry.d_parent !== null) names.push(entry.d_name);
  }
  return `/${names.reverse().join('/')}${state.dentries[dentry]?.unlinked === true ? '//deleted' : ''}`;
}

/** The mounts of the reader's namespace its root can reach, as show_mountinfo() lists them. */
export function modelMounts(state: State, reader: TaskId, nsLabel: (ns: MntNsId) => string): RawMount[] {
  const task = state.tasks[reader];
  if (task === undefined) return [];
  const fs = state.fsStructs[task.fs];
  if (fs === undefined) return [];
  const mounts: RawMount[] = [];
  for (const mount of Object.values(state.mounts)) {
    if (mount.mnt_ns !== task.mntNs) continue;
    const path = pathFrom(state, fs.root, { mnt: mount.id as MountId, dentry: mount.mnt_root });
    if (path === null) continue;
    const sb = state.superBlocks[mount.mnt_sb];
    const master = mount.mnt_master === null ? undefined : state.mounts[mount.mnt_master];
    mounts.push({
      key: String(mount.id),
      parentKey: mount.mnt_parent === null ? '' : String(mount.mnt_parent),
      path,
      root: dentryPath(state, mount.mnt_root, nsLabel),
      fstype: sb?.s_type ?? '?',
      readonly: mount.flags.readonly,
      nosuid: mount.flags.nosuid,
      nodev: mount.flags.nodev,
      noexec: mount.flags.noexec,
      sbReadonly: sb?.sb_rdonly ?? false,
      shared: mount.mnt_group_id === null ? null : String(mount.mnt_group_id),
      master: master?.mnt_group_id === null || master === undefined ? null : String(master.mnt_group_id),
      unbindable: mount.unbindable,
    });
  }
  return mounts;
}
