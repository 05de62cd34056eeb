// Protocol traces: a trace of a protocol model, its two codecs, replay, shrinking and the check
// campaign with the failure database.
export * from './trace.js';
export { formatProtocolLine, parseProtocolTrace, printProtocolTrace } from './line-format.js';
export { printProtocolJsonTrace, protocolTraceOfJson } from './json-format.js';
export * from './history.js';
export * from './campaign.js';
