// The public face of traces: the file format and strace-like printing.
export * from './file.js';
export * from './print.js';
