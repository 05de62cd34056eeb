// Trace files on disk. The extension chooses the codec: `.json` is the JSON form, anything else
// (`.trace` by convention) the line format.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseJsonTrace, printJsonTrace } from './json-format.js';
import { parseTrace, printTrace } from './line-format.js';
import type { Trace } from './trace.js';
import { TraceError } from './trace.js';

const isJson = (path: string): boolean => path.toLowerCase().endsWith('.json');

export function loadTrace(path: string): Trace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TraceError(`${path}: cannot read the trace file${code === undefined ? '' : ` (${code})`}; check the path`);
  }
  return isJson(path) ? parseJsonTrace(text, path) : parseTrace(text, path);
}

/** Write atomically (temporary file, then rename), so a killed run never leaves half a trace. */
export function saveTrace(path: string, trace: Trace): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, isJson(path) ? printJsonTrace(trace) : printTrace(trace));
  renameSync(temporary, path);
}
