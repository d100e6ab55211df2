/**
 * Edit tokens: the secret that lets the author of a review change or delete it, without
 * accounts. The server hands the token out once, in the 201 answer to the POST that created the
 * review, and keeps only its SHA-256: a leaked database cannot be used to forge edits.
 *
 * A fast hash is enough (no bcrypt): the token is 256 random bits, so there is nothing to guess.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface IssuedToken {
  /** Sent to the client, base64url (43 characters). */
  token: string;
  /** Stored. */
  hash: Buffer;
}

export function issueEditToken(): IssuedToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashEditToken(token) };
}

export function hashEditToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** False when the review has no token (seeded) or none was presented. Constant-time compare. */
export function editTokenMatches(
  storedHash: Buffer | null,
  presented: string | undefined,
): boolean {
  if (!storedHash || !presented) return false;
  const presentedHash = hashEditToken(presented);
  return presentedHash.length === storedHash.length && timingSafeEqual(presentedHash, storedHash);
}
