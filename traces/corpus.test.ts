// The regression corpus: every trace under traces/corpus/ replays with the results and invariant
// verdicts it recorded, step by step.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_SEEDED_BUGS } from '../protocols/index.js';
import { corpusFiles, replayAnyAgainstRecording } from './corpus.js';
import { loadAnyTrace } from './io.js';
import { checkReferences } from './references.js';
import { readFileSync } from 'node:fs';

const CORPUS = join(import.meta.dirname, 'corpus');

describe('the regression corpus', () => {
  const files = corpusFiles(CORPUS);
  it('is not empty, and holds a trace of each protocol seeded bug at its minimal length', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const bug of PROTOCOL_SEEDED_BUGS) {
      const loaded = loadAnyTrace(join(CORPUS, `protocol-${bug.id}.trace`));
      expect(loaded.kind).toBe('protocol');
      expect(loaded.trace.bug).toBe(bug.id);
      expect(loaded.trace.steps).toHaveLength(bug.minimalSteps);
      expect(loaded.trace.steps.at(-1)?.violations.map((violation) => violation.invariant)).toContain(bug.invariant);
    }
  });
  for (const file of files) {
    it(`${file.slice(CORPUS.length + 1)} replays as recorded`, () => {
      const loaded = loadAnyTrace(file);
      if (loaded.kind === 'syscall') checkReferences(loaded.trace, file, readFileSync(file, 'utf8'));
      const differences = replayAnyAgainstRecording(loaded);
      expect(differences, `${file}: ${differences.join('; ')}`).toEqual([]);
    });
  }
});
