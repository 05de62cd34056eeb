import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseJsonTrace } from './json-format.js';
import { parseTrace } from './line-format.js';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const section = README.slice(README.indexOf('## Trace files'));
const [lineExample = '', jsonExample = ''] = [...section.matchAll(/```\n(.*?)```/gs)].map((match) => match[1] ?? '');

it("the README's examples of both trace forms are traces mntns reads, of the same events", () => {
  const trace = parseTrace(lineExample, 'README.md');
  const json = parseJsonTrace(jsonExample, 'README.md');
  expect(trace.steps).toHaveLength(3);
  expect(json.steps.map((step) => step.event)).toEqual(trace.steps.slice(0, 2).map((step) => step.event));
  expect(trace.steps[1]?.violations[0]?.invariant).toBe('no-mnt-ns-loop');
  expect(trace.steps[2]?.result).toBeNull();
});
