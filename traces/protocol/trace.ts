// A trace of a protocol model is a trace like any other: the same header (format version, a
// profile naming the protocol, seed, seeded bug, origin) and the atomic steps in order, each with
// the result and the invariant verdict recorded for it. Its two codecs are
// traces/protocol/line-format.ts and json-format.ts; traces/read.ts picks by the profile.
import type { AnyProtocol, ProtocolEvent, ProtocolViolation, StepResult } from '../../protocols/index.js';
import { PROTOCOL_OBJECT_KINDS, PROTOCOL_TOTAL, protocolProfile } from '../../protocols/index.js';
import { TRACE_VERSION } from '../trace.js';

export interface ProtocolRecordedStep {
  readonly event: ProtocolEvent;
  /** The result recorded for the step; null where none was (a hand-written step). */
  readonly result: StepResult | null;
  /** The invariants violated after the step when it was recorded: empty when every one held. */
  readonly violations: readonly ProtocolViolation[];
}

export interface ProtocolTrace {
  readonly version: number;
  /** `protocol <name>`. */
  readonly profile: string;
  /** The protocol's name, as its profile gives it. */
  readonly protocol: string;
  readonly seed: number | null;
  /** A seeded bug of the protocol, or null for the protocol itself. */
  readonly bug: string | null;
  readonly origin: string | null;
  readonly steps: readonly ProtocolRecordedStep[];
}

export function makeProtocolTrace(
  protocol: AnyProtocol,
  fields: { readonly seed?: number | null; readonly bug?: string | null; readonly origin?: string | null; readonly steps: readonly ProtocolRecordedStep[] },
): ProtocolTrace {
  return {
    version: TRACE_VERSION,
    profile: protocolProfile(protocol.name),
    protocol: protocol.name,
    seed: fields.seed ?? null,
    bug: fields.bug ?? null,
    origin: fields.origin ?? null,
    steps: fields.steps,
  };
}

/** The invariants a violation of the protocol may name: its own, and the model throwing. */
export const protocolInvariantNames = (protocol: AnyProtocol): string[] => [...protocol.invariants.map((invariant) => invariant.name), PROTOCOL_TOTAL];

export const isProtocolObjectKind = (kind: string): kind is (typeof PROTOCOL_OBJECT_KINDS)[number] => (PROTOCOL_OBJECT_KINDS as readonly string[]).includes(kind);

/** The result written after ` = `: the value, `ok` for none, or `blocked: why` / `finished: why`. */
export function formatStepResult(result: StepResult): string {
  if (!result.ok) return `${result.failure}: ${result.detail}`;
  return result.value === '' ? 'ok' : result.value;
}

export function parseStepResult(text: string): StepResult {
  const failed = /^(blocked|finished): (.*)$/s.exec(text);
  if (failed !== null) return { ok: false, failure: failed[1] as 'blocked' | 'finished', detail: failed[2] as string };
  return { ok: true, value: text === 'ok' ? '' : text };
}
