// Kept for imports not yet moved: the formats live in formats.ts.
export { formatDate as formatDay, formatDateTime } from './formats.ts';
