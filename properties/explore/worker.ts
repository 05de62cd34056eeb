// A worker thread of exhaustive exploration: expands the chunks of frontier paths it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { Event, ModelOptions } from '../../model/index.js';
import { Expander } from './expand.js';

export interface WorkerSetup {
  readonly vocabulary: readonly Event[];
  readonly model: ModelOptions;
  readonly invariants: readonly string[] | null;
}

export interface ChunkRequest {
  readonly chunk: number;
  readonly paths: readonly (readonly number[])[];
  readonly only: readonly number[] | null;
}

const setup = workerData as WorkerSetup;
const expander = new Expander(setup.vocabulary, setup.model, setup.invariants);
parentPort?.on('message', (request: ChunkRequest) => {
  const result = expander.expand(request.paths, request.only);
  parentPort?.postMessage({ chunk: request.chunk, result }, [result.parents.buffer as ArrayBuffer, result.events.buffer as ArrayBuffer, result.fingerprints.buffer as ArrayBuffer]);
});
