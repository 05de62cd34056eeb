// No mount-namespace reference loop: what the kernel's mnt_ns_loop() exists to prevent. A mount
// whose root is namespace N's nsfs file pins N for as long as the mount lives, and a namespace's
// mounts live as long as the namespace does. NSFS-ORDER, the local rule the kernel maintains:
// a mount in a (non-anonymous) namespace M may hold N's nsfs file only if id(M) < id(N). Given it,
// every pin edge goes from a smaller to a larger id, so the pin graph is acyclic; the graph is
// checked for cycles as well, so a violation names the loop itself.
import type { State } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'no-mnt-ns-loop';

export function checkNoMntNsLoop(state: State): Violation[] {
  const violations: Violation[] = [];
  const edges = new Map<number, Set<number>>();
  for (const mount of Object.values(state.mounts)) {
    const root = state.dentries[mount.mnt_root];
    if (root === undefined || root.kind !== 'nsfs' || mount.mnt_ns === null) continue;
    const holder = state.mntNamespaces[mount.mnt_ns];
    const pinned = state.mntNamespaces[root.ns];
    if (holder === undefined || pinned === undefined) continue;
    const targets = edges.get(holder.id) ?? new Set<number>();
    targets.add(pinned.id);
    edges.set(holder.id, targets);
    if (!holder.anon && holder.seq >= pinned.seq) {
      violations.push({
        invariant: NAME,
        objects: [ref('mnt_namespace', holder.id), ref('mount', mount.id), ref('mnt_namespace', pinned.id)],
        message:
          `mount namespace ${holder.id} (id ${holder.seq}) holds mount ${mount.id}, a bind mount of the nsfs file ` +
          `of namespace ${pinned.id} (id ${pinned.seq}); a namespace may only pin namespaces with larger ids`,
      });
    }
  }
  // Cycle search in the pin graph (iterative DFS with colours).
  const colour = new Map<number, 'grey' | 'black'>();
  const path: number[] = [];
  const reported = new Set<string>();
  const visit = (start: number): void => {
    const frames: { node: number; next: number[] }[] = [{ node: start, next: [...(edges.get(start) ?? [])] }];
    colour.set(start, 'grey');
    path.push(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { node: number; next: number[] };
      const target = frame.next.shift();
      if (target === undefined) {
        colour.set(frame.node, 'black');
        path.pop();
        frames.pop();
        continue;
      }
      const seen = colour.get(target);
      if (seen === 'grey') {
        const loop = path.slice(path.indexOf(target));
        const key = [...loop].sort((a, b) => a - b).join(',');
        if (!reported.has(key)) {
          reported.add(key);
          violations.push({
            invariant: NAME,
            objects: loop.map((id) => ref('mnt_namespace', id)),
            message: `mount namespaces ${[...loop, target].join(' -> ')} pin each other in a loop: none of them can ever be freed`,
          });
        }
      } else if (seen === undefined) {
        colour.set(target, 'grey');
        path.push(target);
        frames.push({ node: target, next: [...(edges.get(target) ?? [])] });
      }
    }
  };
  for (const node of edges.keys()) if (!colour.has(node)) visit(node);
  return violations;
}

export const noMntNsLoop: Invariant = {
  name: NAME,
  guards: 'mnt_ns_loop(): namespaces pinned through nsfs bind mounts can always be freed',
  check: checkNoMntNsLoop,
  reads: ['mntNamespaces', 'mounts', 'dentries'],
};
