import { DecodedReading, Rejection } from '@vigie/domain';

export type { DecodedReading };

/** How a message was read: a device's readings payload, or a LoRaWAN network server's uplink. */
export type PayloadFormat = 'vigie-json' | 'senml' | 'chirpstack' | 'tts' | 'unknown';

export interface DecodeResult {
  readonly format: PayloadFormat;
  readonly readings: DecodedReading[];
  readonly rejections: Rejection[];
}

export interface DecodeLimits {
  /** Most readings one message may carry. */
  readonly maxReadings: number;
  /** Deepest nesting of arrays and objects. */
  readonly maxDepth: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxReadings: 1000, maxDepth: 8 };
