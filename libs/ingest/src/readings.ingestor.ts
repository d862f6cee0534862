import { DeadLetter, payloadForDeadLetter, SpoolBatch } from '@vigie/adapters';
import {
  AlertSampleRecord,
  DecodeLimits,
  decodeReadingsPayload,
  DecodeResult,
  PayloadFormat,
} from '@vigie/contracts';
import {
  DeviceKind,
  RejectReason,
  Rejection,
  TimeWindow,
  ValidReading,
  validateReading,
  watchedMetrics,
} from '@vigie/domain';
import { GroupCommit } from './group-commit';
import { toLineProtocol, toRejectedLines } from './line-protocol';

/** Where accepted lines and dead letters go, durably, before a publish is acknowledged. */
export interface SpoolPort {
  append(batch: SpoolBatch): Promise<void>;
}

/** The batches of one group commit as one, in order (a loop: this runs for every commit on the hot path). */
export function mergeBatches(batches: readonly SpoolBatch[]): SpoolBatch {
  if (batches.length === 1) return batches[0];
  const lines: string[] = [];
  const deadLetters: SpoolBatch['deadLetters'][number][] = [];
  const samples: NonNullable<SpoolBatch['samples']>[number][] = [];
  for (const b of batches) {
    for (const l of b.lines) lines.push(l);
    for (const d of b.deadLetters) deadLetters.push(d);
    if (b.samples) for (const x of b.samples) samples.push(x);
  }
  return { lines, deadLetters, samples };
}

/** Counters the ingestor reports to (Prometheus in production). */
export interface IngestCounters {
  message(format: PayloadFormat): void;
  accepted(n: number): void;
  rejected(reason: RejectReason, n: number): void;
  deadLettered(): void;
  committed(): void;
}

export interface IngestSubject {
  readonly tenant: string;
  readonly device: string;
  readonly site?: string;
  /** The device's kind; undefined when the topic names an unknown device. */
  readonly kind?: DeviceKind;
}

export interface IngestOutcome {
  readonly format: PayloadFormat;
  readonly accepted: number;
  readonly rejections: readonly Rejection[];
}

export interface IngestOptions {
  readonly limits: DecodeLimits;
  readonly window: TimeWindow;
  /** Concurrent group commits to the spool. */
  readonly commitsInFlight: number;
}

/**
 * decode → validate → points → durable spool. `ingest` resolves only once the accepted readings (as line
 * protocol) and the dead letter for the refused ones are durable, which is when the broker may acknowledge.
 */
export class ReadingsIngestor {
  private readonly commits: GroupCommit<SpoolBatch>;

  constructor(
    spool: SpoolPort,
    private readonly counters: IngestCounters,
    private readonly opts: IngestOptions,
  ) {
    this.commits = new GroupCommit<SpoolBatch>(async (batches) => {
      await spool.append(mergeBatches(batches));
      counters.committed();
    }, opts.commitsInFlight);
  }

  /** Publishes waiting for the spool: the broker uses it to slow down, not to drop. */
  get waiting(): number {
    return this.commits.waiting;
  }

  ingest(
    subject: IngestSubject,
    topic: string,
    payload: Uint8Array,
    receivedAt: number,
  ): Promise<IngestOutcome> {
    return this.commit(this.prepare(subject, topic, payload, receivedAt));
  }

  /**
   * Same as `ingest` for readings some other decoder read from `payload` (a LoRaWAN uplink): the same
   * validation, line protocol, dead letters and group commit.
   */
  ingestDecoded(
    subject: IngestSubject,
    topic: string,
    payload: Uint8Array,
    receivedAt: number,
    decoded: DecodeResult,
  ): Promise<IngestOutcome> {
    return this.commit(this.prepareDecoded(subject, topic, payload, receivedAt, decoded));
  }

  /** Resolves once the batch is durable (the per-message hot path: one promise, no async frames). */
  private commit({ outcome, batch }: { outcome: IngestOutcome; batch: SpoolBatch }): Promise<IngestOutcome> {
    const counted = () => {
      this.count(outcome, batch);
      return outcome;
    };
    if (batch.lines.length === 0 && batch.deadLetters.length === 0) return Promise.resolve(counted());
    return this.commits.submit(batch).then(counted);
  }

  /** The pure part: what would be spooled and dead-lettered for this payload. */
  prepare(
    subject: IngestSubject,
    topic: string,
    payload: Uint8Array,
    receivedAt: number,
  ): { outcome: IngestOutcome; batch: SpoolBatch } {
    // An unknown device's payload is not even decoded.
    if (!subject.kind)
      return this.refuseWhole(subject, topic, payload, receivedAt, 'unknown', unknownDevice(subject));
    return this.prepareDecoded(
      subject,
      topic,
      payload,
      receivedAt,
      decodeReadingsPayload(payload, receivedAt, this.opts.limits),
    );
  }

  /** A payload refused as a whole: nothing stored, one dead letter. */
  refuseWhole(
    subject: IngestSubject,
    topic: string,
    payload: Uint8Array,
    receivedAt: number,
    format: PayloadFormat,
    rejection: Rejection,
  ): { outcome: IngestOutcome; batch: SpoolBatch } {
    const outcome: IngestOutcome = { format, accepted: 0, rejections: [rejection] };
    return { outcome, batch: refusal(subject, topic, payload, receivedAt, outcome) };
  }

  /** Spools a payload refused as a whole (its dead letter) and counts it, like any other refusal. */
  refuse(
    subject: IngestSubject,
    topic: string,
    payload: Uint8Array,
    receivedAt: number,
    format: PayloadFormat,
    rejection: Rejection,
  ): Promise<IngestOutcome> {
    return this.commit(this.refuseWhole(subject, topic, payload, receivedAt, format, rejection));
  }

  /** The pure part for readings already decoded. */
  prepareDecoded(
    subject: IngestSubject,
    topic: string,
    payload: Uint8Array,
    receivedAt: number,
    decoded: DecodeResult,
  ): { outcome: IngestOutcome; batch: SpoolBatch } {
    if (!subject.kind) {
      return this.refuseWhole(subject, topic, payload, receivedAt, decoded.format, unknownDevice(subject));
    }
    const rejections: Rejection[] = [...decoded.rejections];
    const valid: ValidReading[] = [];
    for (const reading of decoded.readings) {
      const result = validateReading(subject.kind, reading, receivedAt, this.opts.window);
      if (result.ok) valid.push(result.reading);
      else rejections.push(result.rejection);
    }
    const lines = valid.length
      ? toLineProtocol(
          subject.kind.measurement,
          { tenant: subject.tenant, site: subject.site, device: subject.device },
          valid,
        )
      : [];
    const outcome: IngestOutcome = { format: decoded.format, accepted: valid.length, rejections };
    const refused = rejections.length
      ? refusal(subject, topic, payload, receivedAt, outcome)
      : { lines: [], deadLetters: [] };
    const samples = valid.length ? [alertSample(subject, subject.kind.id, valid)] : [];
    return {
      outcome,
      batch: {
        lines: refused.lines.length ? [...lines, ...refused.lines] : lines,
        deadLetters: refused.deadLetters,
        samples,
      },
    };
  }

  private count(outcome: IngestOutcome, batch: SpoolBatch): void {
    this.counters.message(outcome.format);
    if (outcome.accepted) this.counters.accepted(outcome.accepted);
    for (const r of outcome.rejections) this.counters.rejected(r.reason, 1);
    if (batch.deadLetters.length) this.counters.deadLettered();
  }
}

/** The alert evaluation's view of a payload's valid readings: report times and the watched metrics' values. */
export function alertSample(
  subject: IngestSubject,
  kind: string,
  valid: readonly ValidReading[],
): AlertSampleRecord {
  const watched = watchedMetrics(kind);
  // Report times, distinct and sorted: one pass for readings in time order (the usual payload).
  let times: number[] = [];
  let ordered = true;
  const m: [string, number, number | boolean][] = [];
  for (const r of valid) {
    const last = times.length ? times[times.length - 1] : Number.NEGATIVE_INFINITY;
    if (r.ts > last) times.push(r.ts);
    else if (r.ts < last) ordered = false;
    if (watched.has(r.metric)) m.push([r.metric, r.ts, r.value]);
  }
  if (!ordered) times = [...new Set(valid.map((r) => r.ts))].sort((a, b) => a - b);
  return {
    t: subject.tenant,
    d: subject.device,
    k: kind,
    ...(subject.site ? { s: subject.site } : {}),
    r: times,
    ...(m.length ? { m } : {}),
  };
}

function unknownDevice(subject: IngestSubject): Rejection {
  return {
    reason: RejectReason.UnknownDevice,
    detail: `device '${subject.device}' is not registered in tenant '${subject.tenant}'`,
  };
}

/** What a refusal spools: its dead letter and its `rejected` points. */
function refusal(
  subject: IngestSubject,
  topic: string,
  payload: Uint8Array,
  at: number,
  outcome: IngestOutcome,
): { lines: string[]; deadLetters: DeadLetter[] } {
  return {
    lines: toRejectedLines(subject, outcome.rejections, at),
    deadLetters: [deadLetter(subject, topic, payload, at, outcome)],
  };
}

function deadLetter(
  subject: IngestSubject,
  topic: string,
  payload: Uint8Array,
  at: number,
  outcome: IngestOutcome,
): DeadLetter {
  return {
    at,
    tenant: subject.tenant,
    device: subject.device,
    topic,
    reasons: [...new Set(outcome.rejections.map((r) => r.reason))],
    detail: outcome.rejections
      .slice(0, 10)
      .map((r) => r.detail)
      .join('; ')
      .concat(outcome.rejections.length > 10 ? `; … and ${outcome.rejections.length - 10} more` : ''),
    payload: payloadForDeadLetter(payload),
    rejected: outcome.rejections.length,
    accepted: outcome.accepted,
  };
}
