import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret: 192 random bits, base64url. Shown once, stored only as a keyed hash. */
export function generateSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * HMAC-SHA256 of the username and secret under the server's CREDENTIAL_KEY. Generated secrets have full
 * entropy, so a keyed fast hash is as safe as a slow KDF and costs microseconds on every CONNECT.
 */
export function hashSecret(key: string, username: string, secret: string): string {
  return createHmac('sha256', key).update(username).update('\0').update(secret).digest('hex');
}

export function verifySecret(key: string, username: string, secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashSecret(key, username, secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
