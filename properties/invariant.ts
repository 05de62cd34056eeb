// What an invariant is: a named property checked after every event that changed the state. A state
// invariant looks at the state the event left; a step invariant looks at the transition (the state
// before, the state after, and the event), for rules such as "a lock bit is never cleared" that no
// single state can show. An invariant has one check or both. A violation names the objects at
// fault and says in a sentence what is wrong.
import type { Event, State } from '../model/index.js';

export type ObjectKind =
  | 'task'
  | 'fs_struct'
  | 'files_struct'
  | 'file'
  | 'mnt_namespace'
  | 'mount'
  | 'super_block'
  | 'dentry'
  | 'mountpoint';

export interface ObjectRef {
  readonly kind: ObjectKind;
  readonly id: number;
}

export interface Violation {
  readonly invariant: string;
  readonly objects: readonly ObjectRef[];
  readonly message: string;
}

export interface Invariant {
  readonly name: string;
  /** What the kernel relies on this for, in a sentence. */
  readonly guards: string;
  /** The property of the state an event left. */
  check?(state: State): Violation[];
  /**
   * Every part of the state `check` reads (helpers it calls included): a state whose parts are
   * these same objects gets the same verdict, so checkInvariants() reuses it.
   */
  readonly reads?: readonly StatePart[];
  /** The property of one transition; only called for events that changed the state. */
  checkStep?(before: State, after: State, event: Event): Violation[];
}

/** A top-level part of the state: one table, the nsfs mount, the id counters. */
export type StatePart = keyof State;

/** Every part of the state, in the order State declares them. */
export const ALL_STATE_PARTS: readonly StatePart[] = [
  'tasks',
  'fsStructs',
  'filesStructs',
  'files',
  'mntNamespaces',
  'userNamespaces',
  'mounts',
  'superBlocks',
  'dentries',
  'mountpoints',
  'nsfsMnt',
  'next',
];

export const ref = (kind: ObjectKind, id: number): ObjectRef => ({ kind, id });
