// The two ways propagation code reads peer groups and slave lists agree: the index of a settled
// state with a scan of its table, and a tracked view of a draft (indexed once, updated by every
// change made through it) with the plain view that scans the draft per question.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import type { PropagationType } from '../events.js';
import type { MountId, PeerGroupId } from '../ids.js';
import { initialState } from '../init.js';
import type { DraftState, Mount, State } from '../state.js';
import '../test-helpers.js';
import type { PropagationView } from './pnode.js';
import { changeMntPropagation, peersOf, plainView, propagationReceivers, slavesOf, trackedView } from './pnode.js';
import { latestValue, latestValues } from './tables.js';

const MOUNTS = 12;
const GROUPS = 4;
const TYPES: readonly PropagationType[] = ['MS_SHARED', 'MS_SLAVE', 'MS_PRIVATE', 'MS_UNBINDABLE'];

/** A state whose mount table is `MOUNTS` copies of the boot root with the given groups and masters. */
function tableState(shape: readonly { group: number | null; master: number | null; root: boolean }[]): State {
  const boot = initialState();
  const template = Object.values(boot.mounts)[0] as Mount;
  const mounts: Record<number, Mount> = {};
  shape.forEach((entry, index) => {
    const id = (index + 1) as MountId;
    mounts[id] = {
      ...template,
      id,
      mnt_group_id: entry.group === null ? null : (entry.group as PeerGroupId),
      mnt_master: entry.master === null || entry.master === id ? null : (entry.master as MountId),
      mnt_root: entry.root ? template.mnt_root : (template.mnt_root + 1000) as Mount['mnt_root'],
    };
  });
  return { ...boot, mounts, next: { ...boot.next, peerGroup: GROUPS + 1 } };
}

const shapeArb = fc.array(
  fc.record({
    group: fc.option(fc.integer({ min: 1, max: GROUPS }), { nil: null }),
    master: fc.option(fc.integer({ min: 1, max: MOUNTS }), { nil: null }),
    root: fc.boolean(),
  }),
  { minLength: MOUNTS, maxLength: MOUNTS },
);
const changesArb = fc.array(
  fc.record({ id: fc.integer({ min: 1, max: MOUNTS }), type: fc.constantFrom(...TYPES) }),
  { maxLength: 20 },
);

const relation = (state: State): [number, number | null, number | null, boolean][] =>
  Object.values(state.mounts).map((mount) => [mount.id, mount.mnt_group_id, mount.mnt_master, mount.unbindable]);
const ids = (mounts: readonly Mount[]): number[] => mounts.map((mount) => mount.id);

describe('peer groups and slave lists (fs/pnode.c)', () => {
  it('on a settled state, the index answers as a scan of the table does', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const state = tableState(shape);
        const all = Object.values(state.mounts);
        for (const mount of all) {
          const peers = mount.mnt_group_id === null ? [mount.id] : ids(all.filter((other) => other.mnt_group_id === mount.mnt_group_id));
          expect(ids(peersOf(state, mount.id))).toEqual(peers);
          expect(ids(slavesOf(state, mount.id))).toEqual(ids(all.filter((other) => other.mnt_master === mount.id)));
        }
      }),
    );
  });

  it('a tracked view of a draft gives every change the result the plain view gives', () => {
    fc.assert(
      fc.property(shapeArb, changesArb, (shape, changes) => {
        const state = tableState(shape);
        const run = (view: (draft: DraftState) => PropagationView): State =>
          produce(state, (draft) => {
            const writable = draft as unknown as DraftState;
            const tracked = view(writable);
            for (const change of changes) {
              changeMntPropagation(writable, change.id as MountId, change.type, tracked);
              // the view's answers stay those of the draft as it now is
              const receivers = propagationReceivers(draft, change.id as MountId, tracked);
              expect(receivers).toEqual(propagationReceivers(draft, change.id as MountId));
            }
          });
        expect(relation(run(trackedView))).toEqual(relation(run((draft) => plainView(draft as unknown as State))));
      }),
    );
  });

  it('latestValues and latestValue read a draft table as it stands, touched entries included', () => {
    const state = tableState(Array.from({ length: MOUNTS }, () => ({ group: null, master: null, root: true })));
    produce(state, (draft) => {
      const mount = (draft as unknown as DraftState).mounts[3 as MountId];
      if (mount !== undefined) mount.mnt_group_id = 7 as PeerGroupId;
      delete (draft as unknown as DraftState).mounts[5 as MountId];
      const values = latestValues(draft.mounts);
      expect(values.map((value) => value.id)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12]);
      expect(values.find((value) => value.id === 3)?.mnt_group_id).toBe(7);
      expect(latestValue(draft.mounts, 3 as MountId)?.mnt_group_id).toBe(7);
      expect(latestValue(draft.mounts, 5 as MountId)).toBeUndefined();
    });
  });
});
