// Trace files on disk. The extension chooses the codec: `.json` is the JSON form, anything else
// (`.trace` by convention) the line format; the profile in the header chooses the model: a
// syscall trace, or a trace of a protocol model (`profile protocol nsfs-stash`).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AnyProtocol } from '../protocols/index.js';
import { protocolByName } from '../protocols/index.js';
import { parseJsonTrace, printJsonTrace } from './json-format.js';
import { parseTrace, printTrace } from './line-format.js';
import { isJsonPath, isProtocolProfile, jsonProfile, lineProfile } from './profile.js';
import { protocolTraceOfJson, printProtocolJsonTrace } from './protocol/json-format.js';
import { parseProtocolTrace, printProtocolTrace } from './protocol/line-format.js';
import type { ProtocolTrace } from './protocol/trace.js';
import type { Trace } from './trace.js';
import { TraceError } from './trace.js';

/** A trace of the syscall model, or of a protocol model. */
export type AnyTrace = { readonly kind: 'syscall'; readonly trace: Trace } | { readonly kind: 'protocol'; readonly trace: ProtocolTrace; readonly protocol: AnyProtocol };

export function readTraceText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TraceError(`${path}: cannot read the trace file${code === undefined ? '' : ` (${code})`}; check the path`);
  }
}

/** The protocol a parsed protocol trace names (the parser has checked it exists). */
export function protocolOfTrace(trace: ProtocolTrace): AnyProtocol {
  const protocol = protocolByName(trace.protocol);
  if (protocol === undefined) throw new TraceError(`no protocol model "${trace.protocol}"; known ones are listed by mntns check`);
  return protocol;
}

/** Reads either kind of trace, dispatching on the profile. */
export function parseAnyTrace(text: string, file: string): AnyTrace {
  if (isJsonPath(file)) {
    const sniffed = jsonProfile(text);
    if (sniffed !== null && isProtocolProfile(sniffed.profile)) {
      const trace = protocolTraceOfJson(sniffed.document, file);
      return { kind: 'protocol', trace, protocol: protocolOfTrace(trace) };
    }
    return { kind: 'syscall', trace: parseJsonTrace(text, file) };
  }
  if (isProtocolProfile(lineProfile(text))) {
    const trace = parseProtocolTrace(text, file);
    return { kind: 'protocol', trace, protocol: protocolOfTrace(trace) };
  }
  return { kind: 'syscall', trace: parseTrace(text, file) };
}

export const loadAnyTrace = (path: string): AnyTrace => parseAnyTrace(readTraceText(path), path);

/** A syscall trace; a protocol trace is refused with a line saying so. */
export function loadTrace(path: string): Trace {
  const loaded = loadAnyTrace(path);
  if (loaded.kind === 'protocol') {
    throw new TraceError(`${path}: a trace of the protocol model ${loaded.trace.protocol}, where a trace of the syscall model is needed; give a trace with profile linux-6.18`);
  }
  return loaded.trace;
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Write atomically (temporary file, then rename), so a killed run never leaves half a trace. */
export function saveTrace(path: string, trace: Trace): void {
  writeAtomically(path, isJsonPath(path) ? printJsonTrace(trace) : printTrace(trace));
}

export function saveProtocolTrace(path: string, trace: ProtocolTrace): void {
  const protocol = protocolOfTrace(trace);
  writeAtomically(path, isJsonPath(path) ? printProtocolJsonTrace(trace, protocol) : printProtocolTrace(trace, protocol));
}

export function saveAnyTrace(path: string, loaded: AnyTrace): void {
  if (loaded.kind === 'protocol') saveProtocolTrace(path, loaded.trace);
  else saveTrace(path, loaded.trace);
}
