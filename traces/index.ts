// The public face of traces: the file format, strace-like printing, and time-travel replay.
export * from './file.js';
export * from './print.js';
export * from './history.js';
export * from './diff.js';
export * from './findmnt.js';
export * from './holders.js';
export * from './load-adapter.js';
