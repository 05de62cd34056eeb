// Propagation is exact (kernel-semantics.md §6.1, §6.4; fs/pnode.c propagate_mnt()): when a mount
// is attached at dentry d of a shared mount p, every receiver of p that is in a real (not
// anonymous) namespace and can see d gets exactly one copy at d, and no other mount gets anything.
//
// The step is read from the two states alone, and the receivers are recomputed here from the state
// before, independently of the model's propagation code:
//   - the attachments are the mounts that are new after the step and hang on a mount that existed
//     before (copies of copies hang on new mounts and are not counted); each (parent, dentry) gets
//     at most one of them, and all of them sit on the same dentry d;
//   - the primary destination p is the new parent of an old mount that moved onto an old mount
//     (MS_MOVE, move_mount(); MOVE_MOUNT_BENEATH moves two, so either may be p); when nothing
//     moved, it is the parent of the attachment made first, the one with the smallest id
//     (mnt_id_unique only grows, and do_new_mount() and do_loopback() make the original before
//     propagate_mnt() copies it). Any parent would not do: a peer in a detached tree could then
//     pass for the origin of the copy wrongly given to it. The step is exact if for p the other
//     parents are exactly the receivers of p;
//   - the receivers of p: nothing if p is in no peer group; else the closure of p's group under
//     "add every slave of a member" and "add every peer of a member" (master to slave only: a
//     mount never receives from its own slaves), without p itself, keeping those in a
//     non-anonymous namespace (need_secondary(): detached trees receive nothing since 6.16) whose
//     root has d below it (is_subdir(mp->m_dentry, m->mnt.mnt_root)).
import type { DentryId, Event, Mount, MountId, PeerGroupId, State } from '../../model/index.js';
import { isSubdir } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'propagation-exact';

/** The propagation graph of one state: peer groups and slave lists. */
interface Graph {
  readonly peers: ReadonlyMap<PeerGroupId, readonly MountId[]>;
  readonly slaves: ReadonlyMap<MountId, readonly MountId[]>;
}

function graphOf(state: State): Graph {
  const peers = new Map<PeerGroupId, MountId[]>();
  const slaves = new Map<MountId, MountId[]>();
  for (const mount of Object.values(state.mounts)) {
    if (mount.mnt_group_id !== null) {
      const members = peers.get(mount.mnt_group_id);
      if (members === undefined) peers.set(mount.mnt_group_id, [mount.id]);
      else members.push(mount.id);
    }
    if (mount.mnt_master !== null) {
      const list = slaves.get(mount.mnt_master);
      if (list === undefined) slaves.set(mount.mnt_master, [mount.id]);
      else list.push(mount.id);
    }
  }
  return { peers, slaves };
}

/** p's group, closed under slaves and peers; p itself included. Empty when p is not shared. */
function propagationClosure(state: State, graph: Graph, origin: MountId): Set<MountId> {
  const closure = new Set<MountId>();
  const group = state.mounts[origin]?.mnt_group_id ?? null;
  if (group === null) return closure;
  const queue: MountId[] = [];
  const add = (id: MountId): void => {
    if (closure.has(id)) return;
    closure.add(id);
    queue.push(id);
  };
  for (const id of graph.peers.get(group) ?? []) add(id);
  while (queue.length > 0) {
    const id = queue.pop() as MountId;
    for (const slave of graph.slaves.get(id) ?? []) add(slave);
    const memberGroup = state.mounts[id]?.mnt_group_id ?? null;
    if (memberGroup !== null) for (const peer of graph.peers.get(memberGroup) ?? []) add(peer);
  }
  return closure;
}

/** Why a mount of the closure gets no copy at d, or null if it must get one. */
function whyNotReceiving(state: State, mount: Mount, dentry: DentryId): string | null {
  if (mount.mnt_ns === null) return 'is in no namespace';
  const ns = state.mntNamespaces[mount.mnt_ns];
  if (ns === undefined || ns.anon) return `is in anonymous namespace ${mount.mnt_ns}, which receives no propagation`;
  if (!isSubdir(state, dentry, mount.mnt_root)) return `cannot see dentry ${dentry} from its root`;
  return null;
}

interface Verdict {
  readonly primary: MountId;
  readonly missing: readonly MountId[];
  /** Parents that got a copy but must not have, each with the reason. */
  readonly extra: readonly { readonly id: MountId; readonly why: string }[];
}

function judge(before: State, graph: Graph, primary: MountId, parents: ReadonlySet<MountId>, dentry: DentryId): Verdict {
  const closure = propagationClosure(before, graph, primary);
  const missing: MountId[] = [];
  for (const id of closure) {
    const mount = before.mounts[id];
    if (id === primary || mount === undefined || parents.has(id)) continue;
    if (whyNotReceiving(before, mount, dentry) === null) missing.push(id);
  }
  const extra: { id: MountId; why: string }[] = [];
  for (const id of parents) {
    const mount = before.mounts[id];
    if (id === primary || mount === undefined) continue;
    if (!closure.has(id)) extra.push({ id, why: `is not a receiver of mount ${primary}` });
    else {
      const why = whyNotReceiving(before, mount, dentry);
      if (why !== null) extra.push({ id, why });
    }
  }
  return { primary, missing: missing.sort((a, b) => a - b), extra };
}

export function checkPropagationStep(before: State, after: State, _event: Event): Violation[] {
  if (before.mounts === after.mounts) return [];
  const violations: Violation[] = [];
  const attachments: Mount[] = [];
  const moveTargets: MountId[] = [];
  for (const now of Object.values(after.mounts)) {
    const parent = now.mnt_parent;
    if (parent === null || before.mounts[parent] === undefined) continue;
    const was = before.mounts[now.id];
    if (was === undefined) attachments.push(now);
    else if (was.mnt_parent !== parent && !moveTargets.includes(parent)) moveTargets.push(parent);
  }
  if (attachments.length === 0) return [];
  // one new mount per (parent, dentry), all on one dentry
  const places = new Map<string, MountId>();
  const dentry = attachments[0]?.mnt_mountpoint as DentryId;
  for (const mount of attachments) {
    const parent = mount.mnt_parent as MountId;
    const key = `${parent}:${String(mount.mnt_mountpoint)}`;
    const other = places.get(key);
    if (other !== undefined) {
      violations.push({
        invariant: NAME,
        objects: [ref('mount', parent), ref('mount', other), ref('mount', mount.id)],
        message: `mount ${parent} got two new mounts, ${other} and ${mount.id}, on dentry ${String(mount.mnt_mountpoint)} in one step: a receiver gets exactly one copy`,
      });
    }
    places.set(key, mount.id);
    if (mount.mnt_mountpoint !== dentry) {
      violations.push({
        invariant: NAME,
        objects: [ref('mount', mount.id), ref('mount', parent)],
        message: `mount ${mount.id} was attached on dentry ${String(mount.mnt_mountpoint)} of mount ${parent} in a step that mounts on dentry ${dentry}: copies land where the original does`,
      });
    }
  }
  if (violations.length > 0) return violations;
  const parents = new Set<MountId>(attachments.map((mount) => mount.mnt_parent as MountId));
  const first = attachments.reduce((low, mount) => (mount.id < low.id ? mount : low));
  const primaries = moveTargets.length > 0 ? moveTargets : [first.mnt_parent as MountId];
  const graph = graphOf(before);
  let best: Verdict | null = null;
  for (const primary of primaries) {
    const verdict = judge(before, graph, primary, parents, dentry);
    const wrong = verdict.missing.length + verdict.extra.length;
    if (wrong === 0) return [];
    if (best === null || wrong < best.missing.length + best.extra.length) best = verdict;
  }
  if (best === null) return [];
  const primary = best.primary;
  for (const id of best.missing) {
    violations.push({
      invariant: NAME,
      objects: [ref('mount', id), ref('mount', primary)],
      message: `mount ${id} receives propagation from mount ${primary} and can see dentry ${dentry}, but got no copy of what was mounted there`,
    });
  }
  for (const { id, why } of best.extra) {
    const copy = attachments.find((mount) => mount.mnt_parent === id)?.id ?? -1;
    violations.push({
      invariant: NAME,
      objects: [ref('mount', id), ref('mount', copy), ref('mount', primary)],
      message: `mount ${id} got mount ${copy}, a copy of what was mounted on dentry ${dentry} of mount ${primary}, but it ${why}`,
    });
  }
  return violations;
}

export const propagationExact: Invariant = {
  name: NAME,
  guards:
    'shared subtrees promise that a mount on a shared mount appears at the same place in every peer and slave, once, and nowhere else: not in detached trees, not in mounts that cannot see the place',
  checkStep: checkPropagationStep,
};
