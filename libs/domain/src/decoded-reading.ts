/** A reading as a payload states it, before it is checked against the device kind. */
export interface DecodedReading {
  readonly metric: string;
  /** The value as sent: checked against the metric's type later. */
  readonly value: unknown;
  /** Epoch milliseconds when the payload gave a time; absent means "received now". */
  readonly ts?: number;
  /** A unit stated by the payload (SenML `u`/`bu`); Vigie JSON carries units in metric names. */
  readonly unit?: string;
  /** Position of the reading's element or record in the payload. */
  readonly index: number;
}
