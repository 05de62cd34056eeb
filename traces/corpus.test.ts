// The regression corpus: every trace under traces/corpus/ replays with the results and invariant
// verdicts it recorded, step by step.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusFiles, replayAgainstRecording } from './corpus.js';
import { describeDifference } from './record.js';
import { traceStore } from './store.js';

const CORPUS = join(import.meta.dirname, 'corpus');

describe('the regression corpus', () => {
  const files = corpusFiles(CORPUS);
  it('is not empty', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(`${file.slice(CORPUS.length + 1)} replays as recorded`, () => {
      const differences = replayAgainstRecording(traceStore.load(file)).map(describeDifference);
      expect(differences, `${file}: ${differences.join('; ')}`).toEqual([]);
    });
  }
});
