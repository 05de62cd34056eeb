// The HTML report: one self-contained page per result record.
export { renderHtml } from './render.js';
