import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEvents } from '../properties/index.js';
import { parseJsonTrace, printJsonTrace } from './json-format.js';
import { parseTrace, printTrace } from './line-format.js';

const DIR = join(import.meta.dirname, 'golden');
const LINE_FILES = readdirSync(DIR).filter((name) => name.endsWith('.trace'));
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

describe('golden traces', () => {
  it('are there, each with its JSON twin', () => {
    expect(LINE_FILES.length).toBeGreaterThanOrEqual(5);
    for (const name of LINE_FILES) expect(readdirSync(DIR)).toContain(`${name}.json`);
  });

  it.each(LINE_FILES)('%s re-prints byte-identically in both forms, and the two forms hold the same trace', (name) => {
    const text = read(name);
    const json = read(`${name}.json`);
    const trace = parseTrace(text, name);
    expect(printTrace(trace)).toBe(text);
    const twin = parseJsonTrace(json, `${name}.json`);
    expect(printJsonTrace(twin)).toBe(json);
    expect(twin).toEqual(trace);
  });

  it.each(LINE_FILES)('%s records what the model does: its results, and its verdict after the last step', (name) => {
    const trace = parseTrace(read(name), name);
    const outcome = runEvents(
      trace.steps.map((step) => step.event),
      trace.bug === null ? {} : { model: { bug: trace.bug } },
    );
    trace.steps.forEach((step, index) => {
      if (step.result !== null) expect(outcome.steps[index]?.result).toEqual(step.result);
    });
    expect(outcome.failure?.violations ?? []).toEqual(trace.steps.at(-1)?.violations ?? []);
  });
});
