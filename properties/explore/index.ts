// The public face of exhaustive exploration.
export { explore, DEFAULT_DEPTH, CHUNK_PATHS } from './explore.js';
export type { ExploreSettings, ExploreResult, ExploreProgress, ExploreStop, LevelFigures, Shard } from './explore.js';
export { DEFAULT_VOCABULARY } from './vocabulary.js';
export { canonicalState, fingerprint } from './fingerprint.js';
export { FingerprintSet, collisionProbability } from './visited.js';
