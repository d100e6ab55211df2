/**
 * Instants as clients send them: epoch milliseconds (classic seed data) or ISO 8601 (everything
 * the server writes). A date-time must carry its zone (Z or ±hh:mm): without one, JavaScript
 * reads it in the server's local time zone, which would make a sync cursor silently wrong.
 */
const EPOCH_MS = /^\d{1,15}$/;
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Epoch milliseconds, or undefined when the text is not an instant in one of those forms. */
export function parseTimestamp(text: string): number | undefined {
  if (EPOCH_MS.test(text)) return Number(text);
  if (!ISO_8601.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
