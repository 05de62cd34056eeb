// What a step-level protocol model is, in the shape of the syscall model: plain-data state, events
// that each name their acting task, one pure reducer built with immer's produceWithPatches, results
// that are values or named failures, and invariants checked after every step. A protocol also says
// which event each task's program counter makes next, so a schedule ("task K takes its next atomic
// step", K after K) always resolves to a valid interleaving, however it is shrunk.
import type { Patch } from 'immer';
import type { ProtocolInvariant } from './invariant.js';
import type { EventSyntax } from './syntax.js';

/** The outcome of one atomic step: a value, or a named failure (a blocked or finished task). */
export type StepResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly failure: StepFailure; readonly detail: string };

/** Why a step did nothing: the task waits for another one, or its program has ended. */
export type StepFailure = 'blocked' | 'finished';

export const value = (text: string): StepResult => ({ ok: true, value: text });
export const blocked = (detail: string): StepResult => ({ ok: false, failure: 'blocked', detail });
export const finished = (): StepResult => ({ ok: false, failure: 'finished', detail: 'task has finished' });

export interface ProtocolStepOutcome<S> {
  readonly state: S;
  readonly result: StepResult;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
}

/** Every event names the task that takes the step. */
export interface ProtocolEvent {
  readonly type: string;
  readonly task: number;
}

/** Seeded bugs are switched on through this option, never by editing the model. */
export interface ProtocolOptions<B extends string> {
  readonly bug?: B;
}

export interface Protocol<S, E extends ProtocolEvent, B extends string> {
  readonly name: string;
  /** What the model mirrors, in a sentence (shown in reports). */
  readonly summary: string;
  /** The tasks a schedule picks among, in pick order. */
  readonly actors: readonly number[];
  readonly bugs: readonly B[];
  initialState(): S;
  /** The event the task's program counter makes next (a finished task's is a no-op). */
  nextEvent(state: S, task: number, opts: ProtocolOptions<B>): E;
  step(state: S, event: E, opts: ProtocolOptions<B>): ProtocolStepOutcome<S>;
  readonly invariants: readonly ProtocolInvariant<S>[];
  /** One line a person can follow: `[task 2] stashed_dentry_get(ns 1): ... -> dentry 4`. */
  formatStep(event: E, result: StepResult): string;
  /** How its events are written in traces: one template per event type (protocols/syntax.ts). */
  readonly syntax: EventSyntax<E>;
}
