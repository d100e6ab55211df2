/** Past either limit a review is shown folded to its first lines, with "Read more". */
export const FOLD_CHARS = 480;
export const FOLD_LINES = 6;

/** True for a text that would fill more than a few lines on a phone. */
export function isLongText(text: string, maxChars = FOLD_CHARS, maxLines = FOLD_LINES): boolean {
  if (text.length > maxChars) return true;
  let lines = 1;
  for (const char of text) if (char === '\n' && ++lines > maxLines) return true;
  return false;
}
