/** Deepest nesting of arrays and objects in a JSON text, scanned without parsing (strings are skipped). */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

import { RejectReason, Rejection } from '@vigie/domain';

/** A JSON text parsed within a nesting bound, or why not. */
export type BoundedJson =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly tooDeep: true }
  | { readonly ok: false; readonly tooDeep: false; readonly syntaxError: string };

/**
 * `JSON.parse`, refusing documents nested deeper than `maxDepth`. V8's parser does not recurse, so parsing first
 * costs no stack even for a deep document, and the depth is then measured on the value, which is much cheaper than
 * scanning every character of a valid payload; only a text that does not parse is scanned, so that a deep broken
 * document is still refused as too deep. (A value that a repeated key replaced is not part of the document.)
 */
export function parseJsonWithin(text: string, maxDepth: number): BoundedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return jsonDepthExceeds(text, maxDepth)
      ? { ok: false, tooDeep: true }
      : { ok: false, tooDeep: false, syntaxError: (err as Error).message };
  }
  return valueDepthExceeds(value, maxDepth) ? { ok: false, tooDeep: true } : { ok: true, value };
}

/** Why a text `parseJsonWithin` did not accept is refused, worded for `what` ("the payload", "the uplink"). */
export function jsonRefusal(
  parsed: Exclude<BoundedJson, { ok: true }>,
  what: string,
  maxDepth: number,
): Rejection {
  return parsed.tooDeep
    ? { reason: RejectReason.TooDeep, detail: `${what} nests deeper than ${maxDepth} levels` }
    : {
        reason: RejectReason.InvalidJson,
        detail: `${what} is not valid JSON: ${parsed.syntaxError.slice(0, 120)}`,
      };
}

/** Does `value` nest arrays and objects deeper than `maxDepth`? Descends at most `maxDepth + 1` levels. */
function valueDepthExceeds(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (valueDepthExceeds(item, maxDepth - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (valueDepthExceeds((value as Record<string, unknown>)[key], maxDepth - 1)) return true;
  }
  return false;
}
