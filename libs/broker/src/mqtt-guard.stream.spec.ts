import { generate } from 'mqtt-packet';
import { PassThrough } from 'node:stream';
import { GuardViolation, MqttGuardStream } from './mqtt-guard.stream';

/** Lets stream events queued on nextTick / setImmediate run (neither is faked by the fake timers below). */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const CONNECT = generate({
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 4,
  clientId: 'd1',
  clean: true,
  keepalive: 60,
  username: 't1:d1',
  password: Buffer.from('s3cret'),
});
const publish = (payload: string | Buffer, qos: 0 | 1 = 0) =>
  generate({
    cmd: 'publish',
    topic: 'vigie/t1/devices/d1/readings',
    payload,
    qos,
    dup: false,
    retain: false,
    ...(qos ? { messageId: 7 } : {}),
  });
const PUBLISH_SMALL = publish('{"values":{"power_w":1500}}');
/** Remaining length above 127: a 2-byte length in the fixed header. */
const PUBLISH_LARGE = publish(Buffer.alloc(300, 0x61), 1);
const SUBSCRIBE = generate({
  cmd: 'subscribe',
  messageId: 3,
  subscriptions: [{ topic: 'vigie/t1/devices/d1/#', qos: 0 }],
});
const PINGREQ = generate({ cmd: 'pingreq' });
const DISCONNECT = generate({ cmd: 'disconnect' });
const SESSION = Buffer.concat([
  CONNECT,
  PUBLISH_SMALL,
  PINGREQ,
  SUBSCRIBE,
  PUBLISH_LARGE,
  PUBLISH_SMALL,
  DISCONNECT,
]);

type FakeSocket = PassThrough & { remoteAddress?: string };

function harness(maxPacketBytes: number) {
  const socket: FakeSocket = new PassThrough();
  socket.remoteAddress = '192.0.2.10';
  const violations: GuardViolation[] = [];
  const guard = new MqttGuardStream(socket, {
    maxPacketBytes,
    onViolation: (reason) => violations.push(reason),
  });
  const out: Buffer[] = [];
  guard.on('data', (chunk: Buffer) => out.push(chunk));
  guard.on('error', () => undefined);
  return { socket, guard, violations, received: () => Buffer.concat(out) };
}

async function feed(socket: FakeSocket, ...chunks: Buffer[]): Promise<void> {
  for (const chunk of chunks) socket.write(chunk);
  await tick();
}

describe('MqttGuardStream', () => {
  it('builds real packets for these tests (sanity)', () => {
    expect(CONNECT[0]).toBe(0x10);
    expect(PUBLISH_SMALL[0] >> 4).toBe(3);
    expect(PUBLISH_LARGE[0] >> 4).toBe(3);
    expect(PUBLISH_LARGE[2] & 0x80).toBe(0); // second byte of the 2-byte length
    expect(PUBLISH_LARGE[1] & 0x80).toBe(0x80);
    expect(PINGREQ).toEqual(Buffer.from([0xc0, 0x00]));
  });

  it('takes the remote address of the socket', () => {
    const { guard } = harness(1024);
    expect(guard.remoteAddress).toBe('192.0.2.10');
    const bare = new MqttGuardStream(new PassThrough(), {
      maxPacketBytes: 1024,
      onViolation: () => undefined,
    });
    expect(bare.remoteAddress).toBe('unknown');
  });

  describe('packets under the limit', () => {
    it('pass through byte for byte in one chunk', async () => {
      const { socket, violations, received } = harness(1024);
      await feed(socket, SESSION);
      expect(received().equals(SESSION)).toBe(true);
      expect(violations).toEqual([]);
    });

    it('pass through byte for byte whatever the offset of a split in two chunks', async () => {
      const failures: number[] = [];
      for (let at = 1; at < SESSION.length; at++) {
        const { socket, guard, violations, received } = harness(1024);
        await feed(socket, SESSION.subarray(0, at), SESSION.subarray(at));
        if (!received().equals(SESSION) || violations.length > 0 || guard.destroyed) failures.push(at);
      }
      expect(failures).toEqual([]);
    });

    it('pass through byte for byte when every byte is its own chunk', async () => {
      const { socket, violations, received } = harness(1024);
      for (const byte of SESSION) socket.write(Buffer.from([byte]));
      await tick();
      expect(received().equals(SESSION)).toBe(true);
      expect(violations).toEqual([]);
    });

    it('pass through split in three chunks around the fixed header of the large publish', async () => {
      const start = SESSION.indexOf(PUBLISH_LARGE);
      expect(start).toBeGreaterThan(0);
      const failures: string[] = [];
      for (let a = start - 1; a <= start + 4; a++) {
        for (let b = a + 1; b <= start + 5; b++) {
          const { socket, violations, received } = harness(1024);
          await feed(socket, SESSION.subarray(0, a), SESSION.subarray(a, b), SESSION.subarray(b));
          if (!received().equals(SESSION) || violations.length > 0) failures.push(`${a}/${b}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('accepts a packet exactly maxPacketBytes long (fixed header included)', async () => {
      const { socket, violations, received } = harness(PUBLISH_LARGE.length);
      await feed(socket, PUBLISH_LARGE);
      expect(violations).toEqual([]);
      expect(received().equals(PUBLISH_LARGE)).toBe(true);
    });

    it('accepts the largest 4-byte remaining length when the limit allows it', async () => {
      const header = Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]); // 268 435 455 bytes announced
      const { socket, guard, violations, received } = harness(1 + 4 + 268_435_455);
      await feed(socket, header, Buffer.from('body'));
      expect(violations).toEqual([]);
      expect(guard.destroyed).toBe(false);
      expect(received()).toEqual(Buffer.concat([header, Buffer.from('body')]));
    });
  });

  describe('packets over the limit', () => {
    it('refuses a packet one byte longer than maxPacketBytes', async () => {
      const { socket, violations, received } = harness(PUBLISH_LARGE.length - 1);
      await feed(socket, PUBLISH_LARGE);
      expect(violations).toEqual(['packet_too_large']);
      expect(socket.destroyed).toBe(true);
      expect(received().length).toBe(0);
    });

    it('closes on the fixed header alone, before the body arrives', async () => {
      const big = publish(Buffer.alloc(5000, 0x62));
      const headerLength = 1 + 2; // 5000+ needs a 2-byte remaining length
      expect(big[2] & 0x80).toBe(0);
      const { socket, guard, violations, received } = harness(1024);
      await feed(socket, big.subarray(0, headerLength));
      expect(violations).toEqual(['packet_too_large']);
      expect(socket.destroyed).toBe(true);
      expect(guard.destroyed).toBe(true);
      expect(received().length).toBe(0);
    });

    it('closes once a remaining length split across chunks is complete', async () => {
      const { socket, violations } = harness(1024);
      await feed(socket, Buffer.from([0x30]));
      await feed(socket, Buffer.from([0x80]));
      expect(violations).toEqual([]);
      expect(socket.destroyed).toBe(false);
      await feed(socket, Buffer.from([0x10])); // 0x80 0x10 = 2048
      expect(violations).toEqual(['packet_too_large']);
      expect(socket.destroyed).toBe(true);
    });

    it('lets the packets before the oversized one through', async () => {
      const { socket, violations, received } = harness(1024);
      await feed(socket, CONNECT, PUBLISH_SMALL);
      await feed(socket, Buffer.from([0x30, 0xff, 0x7f]));
      expect(received().equals(Buffer.concat([CONNECT, PUBLISH_SMALL]))).toBe(true);
      expect(violations).toEqual(['packet_too_large']);
      expect(socket.destroyed).toBe(true);
    });

    it.each([
      ['in one chunk', [Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])]],
      ['byte by byte', [0x30, 0xff, 0xff, 0xff, 0xff, 0x01].map((b) => Buffer.from([b]))],
      ['after a valid packet', [Buffer.concat([PINGREQ, Buffer.from([0x10, 0x80, 0x80, 0x80, 0x80, 0x01])])]],
    ])('refuses a 5-byte remaining length (%s) as malformed', async (_how, chunks) => {
      const { socket, guard, violations } = harness(Number.MAX_SAFE_INTEGER);
      await feed(socket, ...chunks.slice(0, 5));
      expect(violations).toEqual(['malformed_length']);
      expect(socket.destroyed).toBe(true);
      expect(guard.destroyed).toBe(true);
    });
  });

  describe('publish rate', () => {
    beforeEach(() => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('pauses the socket once the burst is spent, and resumes when a token is back', async () => {
      const { socket, guard, received } = harness(1024);
      guard.setPublishRate(10, 2); // 10/s: one token every 100 ms
      await feed(socket, PUBLISH_SMALL, PUBLISH_SMALL);
      expect(socket.isPaused()).toBe(false);

      await feed(socket, PUBLISH_SMALL);
      expect(socket.isPaused()).toBe(true);
      expect(received().length).toBe(3 * PUBLISH_SMALL.length); // slowed, not dropped

      // what the device sends now waits in the socket
      await feed(socket, PINGREQ);
      expect(received().length).toBe(3 * PUBLISH_SMALL.length);

      jest.advanceTimersByTime(99);
      await tick();
      expect(socket.isPaused()).toBe(true);
      expect(received().length).toBe(3 * PUBLISH_SMALL.length);

      jest.advanceTimersByTime(1);
      await tick();
      expect(socket.isPaused()).toBe(false);
      expect(received().equals(Buffer.concat([PUBLISH_SMALL, PUBLISH_SMALL, PUBLISH_SMALL, PINGREQ]))).toBe(
        true,
      );
      expect(guard.destroyed).toBe(false);
    });

    it('pauses for as long as the debt of a burst of publishes in one chunk', async () => {
      const { socket, guard } = harness(4096);
      guard.setPublishRate(10, 1);
      await feed(socket, Buffer.concat(Array.from({ length: 4 }, () => PUBLISH_SMALL))); // 3 tokens short: 300 ms
      expect(socket.isPaused()).toBe(true);
      jest.advanceTimersByTime(299);
      await tick();
      expect(socket.isPaused()).toBe(true);
      jest.advanceTimersByTime(1);
      await tick();
      expect(socket.isPaused()).toBe(false);
    });

    it('refills tokens with time', async () => {
      const { socket, guard } = harness(1024);
      guard.setPublishRate(10, 1);
      for (let i = 0; i < 5; i++) {
        await feed(socket, PUBLISH_SMALL);
        expect(socket.isPaused()).toBe(false);
        jest.advanceTimersByTime(100);
      }
      await feed(socket, PUBLISH_SMALL, PUBLISH_SMALL);
      expect(socket.isPaused()).toBe(true);
    });

    it('counts a publish split across chunks once', async () => {
      const { socket, guard } = harness(1024);
      guard.setPublishRate(1, 3);
      const three = Buffer.concat([PUBLISH_SMALL, PUBLISH_SMALL, PUBLISH_SMALL]);
      for (const byte of three) socket.write(Buffer.from([byte]));
      await tick();
      expect(socket.isPaused()).toBe(false);
      await feed(socket, PUBLISH_SMALL.subarray(0, 1));
      expect(socket.isPaused()).toBe(false);
      await feed(socket, PUBLISH_SMALL.subarray(1, 2));
      expect(socket.isPaused()).toBe(true);
    });

    it('does not meter other packets', async () => {
      const { socket, guard, received } = harness(1024);
      guard.setPublishRate(1, 1);
      const others = Buffer.concat([CONNECT, ...Array.from({ length: 20 }, () => PINGREQ), SUBSCRIBE]);
      await feed(socket, others);
      expect(socket.isPaused()).toBe(false);
      expect(received().equals(others)).toBe(true);
    });

    it('does not meter at all with rate 0 (the default)', async () => {
      const { socket, guard } = harness(1024);
      await feed(socket, ...Array.from({ length: 50 }, () => PUBLISH_SMALL));
      expect(socket.isPaused()).toBe(false);
      guard.setPublishRate(0, 1);
      await feed(socket, ...Array.from({ length: 50 }, () => PUBLISH_SMALL));
      expect(socket.isPaused()).toBe(false);
    });
  });

  describe('back-pressure and end', () => {
    it('pauses the socket while the reader does not read, and resumes when it does', async () => {
      const socket: FakeSocket = new PassThrough();
      const guard = new MqttGuardStream(socket, { maxPacketBytes: 1 << 20, onViolation: () => undefined });
      const packets = Array.from({ length: 200 }, () => PUBLISH_LARGE); // ~64 KB, over the 16 KB high-water mark
      await feed(socket, ...packets);
      expect(socket.isPaused()).toBe(true);

      const out: Buffer[] = [];
      guard.on('data', (chunk: Buffer) => out.push(chunk));
      for (let i = 0; i < 100 && Buffer.concat(out).length < packets.length * PUBLISH_LARGE.length; i++)
        await tick();
      expect(Buffer.concat(out).equals(Buffer.concat(packets))).toBe(true);
      expect(socket.isPaused()).toBe(false);
    });

    it('ends when the socket ends', async () => {
      const { socket, guard } = harness(1024);
      const ended = new Promise<boolean>((resolve) => guard.on('end', () => resolve(true)));
      socket.end(PINGREQ);
      await expect(ended).resolves.toBe(true);
    });

    it('destroys the socket when it is destroyed', () => {
      const { socket, guard } = harness(1024);
      guard.destroy();
      expect(socket.destroyed).toBe(true);
    });
  });
});
