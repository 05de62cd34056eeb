import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonTrace, printJsonTrace } from './json-format.js';
import { parseTrace, printTrace } from './line-format.js';
import { syntheticTrace } from './test-helpers.js';
import { TraceError } from './trace.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const golden = (suffix: string): string[] =>
  readdirSync(GOLDEN)
    .filter((name) => name.endsWith(suffix))
    .map((name) => readFileSync(join(GOLDEN, name), 'utf8'));
const SYNTHETIC = fc.sample(syntheticTrace, { numRuns: 30, seed: 6 });

/** One change to the lines of a trace, as a careless edit, a bad disk or a wrong tool makes it. */
type Mutation = (lines: string[]) => string[];
const at = (lines: readonly string[], position: number): number => position % Math.max(lines.length, 1);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n): Mutation => (lines) => lines.filter((_line, index) => index !== at(lines, n))),
  fc.nat().map((n): Mutation => (lines) => lines.flatMap((line, index) => (index === at(lines, n) ? [line, line] : [line]))),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (lines) => {
    const copy = [...lines];
    const [i, j] = [at(lines, a), at(lines, b)];
    [copy[i], copy[j]] = [copy[j] ?? '', copy[i] ?? ''];
    return copy;
  }),
  // a character garbled, dropped or inserted
  fc.tuple(fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 2 })).map(([n, column, text]): Mutation => (lines) =>
    lines.map((line, index) => (index === at(lines, n) ? line.slice(0, column % (line.length + 1)) + text + line.slice((column % (line.length + 1)) + 1) : line)),
  ),
  // a value of the wrong type or size where a number or a string stood
  fc.tuple(fc.nat(), fc.constantFrom('99999999999999999999999', '-1', '1e400', '1.5', '"3"', 'null', 'true', '[]', '{}', 'NaN', '0x10')).map(
    ([n, value]): Mutation => (lines) => lines.map((line, index) => (index === at(lines, n) ? line.replace(/-?\d+|"[^"]*"/, value) : line)),
  ),
  // the file cut short
  fc.nat().map((n): Mutation => (lines) => {
    const text = lines.join('\n');
    return text.slice(0, n % (text.length + 1)).split('\n');
  }),
);

const mutated = (texts: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 9, arbitrary: fc.tuple(fc.constantFrom(...texts), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, changes]) => changes.reduce((lines, change) => change(lines), text.split('\n')).join('\n')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')) },
  );

function expectParsedOrOneLineError(parse: (text: string, file: string) => unknown, text: string, file: string): void {
  try {
    parse(text, file);
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    expect(error.message).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+: \\S`));
    expect(error.message).not.toMatch(/[\r\n]/);
    const line = Number(/:(\d+):/.exec(error.message)?.[1]);
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(text.split('\n').length);
  }
}

describe('mutated traces either parse or fail with one line naming file:line', () => {
  it('in the line format', () => {
    const texts = [...golden('.trace'), ...SYNTHETIC.map(printTrace)];
    fc.assert(fc.property(mutated(texts), (text) => expectParsedOrOneLineError(parseTrace, text, 'f.trace')), { numRuns: 4000, seed: 7 });
  });

  it('in the JSON form', () => {
    const texts = [...golden('.trace.json'), ...SYNTHETIC.map(printJsonTrace)];
    fc.assert(fc.property(mutated(texts), (text) => expectParsedOrOneLineError(parseJsonTrace, text, 'f.json')), { numRuns: 4000, seed: 8 });
  });

  it('of which most are rejected, so the check above is not vacuous', () => {
    const texts = golden('.trace');
    const rejected = fc.sample(mutated(texts), { numRuns: 500, seed: 9 }).filter((text) => {
      try {
        parseTrace(text, 'f.trace');
        return false;
      } catch {
        return true;
      }
    });
    expect(rejected.length).toBeGreaterThan(200);
  });
});
