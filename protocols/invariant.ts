// Invariants of the protocol models, with the fields of the syscall model's invariants
// (properties/invariant.ts): a name, what the kernel relies on it for, and a check of a state that
// returns violations naming the objects at fault with a sentence a person understands.

export const PROTOCOL_OBJECT_KINDS = ['task', 'dentry', 'inode', 'mnt_namespace', 'mount', 'rcu_head'] as const;
export type ProtocolObjectKind = (typeof PROTOCOL_OBJECT_KINDS)[number];

export interface ProtocolObjectRef {
  readonly kind: ProtocolObjectKind;
  readonly id: number;
}

export interface ProtocolViolation {
  readonly invariant: string;
  readonly objects: readonly ProtocolObjectRef[];
  readonly message: string;
}

export interface ProtocolInvariant<S> {
  readonly name: string;
  /** What the kernel relies on this for, in a sentence. */
  readonly guards: string;
  /** The property of the state a step left. */
  check(state: S): ProtocolViolation[];
}

export const objectRef = (kind: ProtocolObjectKind, id: number): ProtocolObjectRef => ({ kind, id });
