/** A refused payload kept for inspection (bounded per tenant). */
export interface DeadLetter {
  /** Epoch ms when the payload was received. */
  readonly at: number;
  readonly tenant: string;
  readonly device: string;
  readonly topic: string;
  /** Reason codes (RejectReason values), one per refusal, without repeats. */
  readonly reasons: readonly string[];
  /** Human-readable details of the refusals. */
  readonly detail: string;
  /** The payload as text, or `base64:` followed by its bytes when it is not UTF-8; cut at 4 KiB. */
  readonly payload: string;
  /** How many readings of the payload were refused, and how many were accepted. */
  readonly rejected: number;
  readonly accepted: number;
}

export const DEAD_LETTER_PAYLOAD_LIMIT = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function payloadForDeadLetter(payload: Uint8Array): string {
  const cut = payload.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT);
  try {
    return utf8.decode(cut);
  } catch {
    // A cut may split a multi-byte character: keep bytes then.
    return 'base64:' + Buffer.from(cut).toString('base64');
  }
}
