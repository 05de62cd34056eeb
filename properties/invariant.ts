// What an invariant is: a named property of a state, checked after every event, returning the
// violations it finds. A violation names the objects at fault and says in a sentence what is wrong.
import type { State } from '../model/index.js';

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
  check(state: State): Violation[];
}

export const ref = (kind: ObjectKind, id: number): ObjectRef => ({ kind, id });
