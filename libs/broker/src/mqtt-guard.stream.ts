import { Duplex } from 'node:stream';

export type GuardViolation = 'packet_too_large' | 'malformed_length';

export interface GuardOptions {
  /** Largest MQTT packet (fixed header included) the broker accepts. */
  readonly maxPacketBytes: number;
  readonly onViolation: (reason: GuardViolation) => void;
}

const PUBLISH = 3;

/**
 * Sits between a socket and aedes and reads only MQTT fixed headers. A packet that announces more than
 * `maxPacketBytes` closes the connection at once, before any of its body is buffered; the body of allowed
 * packets is passed through untouched. It also meters PUBLISH packets: when the client exceeds its rate the
 * socket is paused (TCP pushes back on the device), so a chatty device is slowed, never dropped.
 */
export class MqttGuardStream extends Duplex {
  remoteAddress: string;
  private headerByte = -1;
  private lengthBytes = 0;
  private lengthValue = 0;
  private multiplier = 1;
  private bodyLeft = 0;
  private inBody = false;
  private paused = false;
  private throttled = false;
  private rate = 0;
  private burst = 1;
  private tokens = 1;
  private lastRefill = Date.now();

  constructor(
    private readonly socket: Duplex & { remoteAddress?: string },
    private readonly opts: GuardOptions,
  ) {
    super({ allowHalfOpen: false });
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  /** Publishes per second allowed (0 = unlimited) and the burst above it. */
  setPublishRate(rate: number, burst: number): void {
    this.rate = rate;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
    this.lastRefill = Date.now();
  }

  private onData(chunk: Buffer): void {
    const publishes = this.inspect(chunk);
    if (publishes < 0) return;
    if (!this.push(chunk)) {
      this.paused = true;
      this.socket.pause();
    }
    if (publishes > 0 && this.rate > 0) this.meter(publishes);
  }

  /** Walks the fixed headers in `chunk`; returns the PUBLISH count, or -1 after closing on a violation. */
  private inspect(chunk: Buffer): number {
    let publishes = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.inBody) {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        if (this.bodyLeft === 0) this.inBody = false;
        continue;
      }
      const byte = chunk[i++];
      if (this.headerByte < 0) {
        this.headerByte = byte;
        this.lengthBytes = 0;
        this.lengthValue = 0;
        this.multiplier = 1;
        continue;
      }
      this.lengthValue += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (byte & 0x80) {
        if (this.lengthBytes >= 4) return this.violate('malformed_length');
        continue;
      }
      const total = 1 + this.lengthBytes + this.lengthValue;
      if (total > this.opts.maxPacketBytes) return this.violate('packet_too_large');
      if (this.headerByte >> 4 === PUBLISH) publishes++;
      this.headerByte = -1;
      this.bodyLeft = this.lengthValue;
      this.inBody = this.bodyLeft > 0;
    }
    return publishes;
  }

  private violate(reason: GuardViolation): number {
    this.opts.onViolation(reason);
    this.socket.destroy();
    this.destroy();
    return -1;
  }

  private meter(publishes: number): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = now;
    this.tokens -= publishes;
    if (this.tokens < 0 && !this.throttled) {
      this.throttled = true;
      this.socket.pause();
      const waitMs = Math.ceil((-this.tokens / this.rate) * 1000);
      setTimeout(() => {
        this.throttled = false;
        if (!this.paused && !this.destroyed) this.socket.resume();
      }, waitMs).unref();
    }
  }

  override _read(): void {
    if (this.paused) {
      this.paused = false;
      if (!this.throttled) this.socket.resume();
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.socket.write(chunk)) cb();
    else this.socket.once('drain', () => cb());
  }

  /** Writes corked together (mqtt-packet corks each packet) leave in one socket write, one syscall. */
  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    const data = chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk));
    if (this.socket.write(data)) cb();
    else this.socket.once('drain', () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
}
