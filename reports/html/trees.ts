// Every mount tree of one state, laid out for the report's SVG pictures: one group per mount
// namespace, then the detached trees (anonymous namespaces of open_tree and fsmount, held by their
// fd), mounts unmounted lazily but still held, and kernel-internal mounts, in the order
// traces/findmnt.ts draws them. Each node carries findmnt's columns; the layout is a tidy tree
// drawn left to right: depth is the column, leaves take consecutive rows and a parent sits level
// with the middle of its children.
import type { Mount, MountId, State } from '../../model/index.js';
import { mountPath, optionsText, propagationText, sourceText } from '../../traces/index.js';

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 50;
export const COLUMN = 240;
export const ROW = 60;

export type GroupKind = 'namespace' | 'anonymous' | 'held' | 'internal' | 'freed';
export type MountChange = 'added' | 'changed' | 'removed' | 'same';

export interface TreeNode {
  readonly id: number;
  /** null for a root of the group. */
  readonly parent: number | null;
  readonly target: string;
  readonly source: string;
  readonly fstype: string;
  readonly propagation: string;
  readonly options: string;
  readonly count: number;
  readonly change: MountChange;
  /** Named by a violation of the counterexample. */
  readonly violating: boolean;
  readonly x: number;
  readonly y: number;
}

export interface TreeGroup {
  readonly kind: GroupKind;
  readonly title: string;
  /** The namespace the group is, where it is one. */
  readonly ns: number | null;
  readonly violating: boolean;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly TreeNode[];
}

export interface Marks {
  readonly change: (id: MountId) => MountChange;
  readonly violatingMounts: ReadonlySet<number>;
  readonly violatingNamespaces: ReadonlySet<number>;
}

const fstypeOf = (state: State, mount: Mount): string => state.superBlocks[mount.mnt_sb]?.s_type ?? '?';

/** The nodes of the tree under `root`, pre-order, laid out; `drawn` collects the ids placed. */
function layout(state: State, root: MountId, marks: Marks, drawn: Set<number>): { nodes: TreeNode[]; width: number; height: number } {
  const nodes: TreeNode[] = [];
  let rows = 0;
  let depthMax = 0;
  const place = (id: MountId, parent: number | null, depth: number): number => {
    const mount = state.mounts[id];
    if (mount === undefined || drawn.has(id)) return -1;
    drawn.add(id);
    depthMax = Math.max(depthMax, depth);
    const index = nodes.length;
    nodes.push(node(state, mount, parent, marks, depth * COLUMN, 0));
    const childRows = mount.mnt_mounts.map((child) => place(child, id, depth + 1)).filter((row) => row >= 0);
    const row = childRows.length === 0 ? rows++ : ((childRows[0] as number) + (childRows.at(-1) as number)) / 2;
    nodes[index] = { ...(nodes[index] as TreeNode), y: row * ROW };
    return row;
  };
  place(root, null, 0);
  return { nodes, width: depthMax * COLUMN + NODE_WIDTH, height: Math.max(rows - 1, 0) * ROW + NODE_HEIGHT };
}

function node(state: State, mount: Mount, parent: number | null, marks: Marks, x: number, y: number): TreeNode {
  return {
    id: mount.id,
    parent,
    target: mountPath(state, mount.id),
    source: sourceText(state, mount),
    fstype: fstypeOf(state, mount),
    propagation: propagationText(state, mount),
    options: optionsText(mount),
    count: mount.mnt_count,
    change: marks.change(mount.id),
    violating: marks.violatingMounts.has(mount.id),
    x,
    y,
  };
}

/** The groups of one state, in findmnt's order. */
export function treeGroups(state: State, marks: Marks): TreeGroup[] {
  const groups: TreeGroup[] = [];
  const drawn = new Set<number>();
  const add = (kind: GroupKind, title: string, root: MountId, ns: number | null): void => {
    const placed = layout(state, root, marks, drawn);
    if (placed.nodes.length === 0) return;
    const violating = (ns !== null && marks.violatingNamespaces.has(ns)) || placed.nodes.some((candidate) => candidate.violating);
    groups.push({ kind, title, ns, violating, ...placed });
  };
  const namespaces = Object.values(state.mntNamespaces).sort((a, b) => a.id - b.id);
  for (const ns of namespaces) {
    if (!ns.anon) add('namespace', `mount namespace ${ns.id} (count ${ns.count}, ${ns.nr_mounts} mounts)`, ns.root, ns.id);
  }
  for (const ns of namespaces) {
    if (ns.anon) add('anonymous', `anonymous namespace ${ns.id}: a detached tree held by an fd (count ${ns.count})`, ns.root, ns.id);
  }
  const mounts = Object.values(state.mounts).sort((a, b) => a.id - b.id);
  for (const mount of mounts) {
    if (drawn.has(mount.id) || mount.internal || mount.mnt_ns !== null || mount.mnt_parent !== null) continue;
    add('held', `unmounted, still held: mount ${mount.id} (mnt_count ${mount.mnt_count})`, mount.id, null);
  }
  for (const mount of mounts) {
    if (!drawn.has(mount.id) && !mount.internal) add('held', `unmounted, still held below a freed parent: mount ${mount.id}`, mount.id, null);
  }
  for (const mount of mounts) {
    if (!drawn.has(mount.id) && mount.internal) add('internal', `kernel-internal mount ${mount.id}`, mount.id, null);
  }
  return groups;
}

/** The mounts of `before` that `after` no longer has, as one group drawn from `before`. */
export function freedGroup(before: State, after: State, marks: Marks): TreeGroup | null {
  const freed = Object.values(before.mounts)
    .filter((mount) => after.mounts[mount.id] === undefined)
    .sort((a, b) => a.id - b.id);
  if (freed.length === 0) return null;
  const nodes = freed.map((mount, index) => ({ ...node(before, mount, null, marks, 0, index * ROW), change: 'removed' as const }));
  return {
    kind: 'freed',
    title: `freed by this step: ${freed.map((mount) => `mount ${mount.id}`).join(', ')}`,
    ns: null,
    violating: nodes.some((candidate) => candidate.violating),
    width: NODE_WIDTH,
    height: (freed.length - 1) * ROW + NODE_HEIGHT,
    nodes,
  };
}
