import { BrokerProcess, expectEventually, isolatedEnv, startBrokerProcess, vigieJson } from '@vigie/testing';
import mqttPacket from 'mqtt-packet';
import { Socket } from 'node:net';
import { DeviceCredentials } from '../support';

const MiB = 1024 * 1024;

/** MQTT's variable-length "remaining length". */
function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

function utf8Field(value: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(value.length);
  return Buffer.concat([len, value]);
}

/** A CONNECT packet built byte by byte, so that the client id can be any bytes (even invalid UTF-8). */
function rawConnect(clientId: Buffer, username: string, password: string, clean = true): Buffer {
  const flags = 0xc0 | (clean ? 0x02 : 0);
  const variable = Buffer.concat([utf8Field(Buffer.from('MQTT')), Buffer.from([4, flags, 0, 60])]);
  const payload = Buffer.concat([
    utf8Field(clientId),
    utf8Field(Buffer.from(username)),
    utf8Field(Buffer.from(password)),
  ]);
  const body = Buffer.concat([variable, payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

interface RawConnection {
  socket: Socket;
  received: Buffer[];
  closed: Promise<void>;
  isClosed: () => boolean;
}

function openRaw(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const received: Buffer[] = [];
    let closedFlag = false;
    const closed = new Promise<void>((r) => socket.once('close', () => ((closedFlag = true), r())));
    socket.on('data', (d) => received.push(d));
    socket.on('error', () => undefined);
    socket.connect(port, '127.0.0.1', () =>
      resolve({ socket, received, closed, isClosed: () => closedFlag }),
    );
    socket.once('error', reject);
  });
}

/** Writes up to `total` bytes as fast as the socket takes them; stops when the peer closes. Returns bytes written. */
async function flood(conn: RawConnection, total: number): Promise<number> {
  const chunk = Buffer.alloc(MiB, 0x41);
  let written = 0;
  while (written < total && !conn.isClosed() && !conn.socket.destroyed) {
    const ok = conn.socket.write(chunk);
    written += chunk.length;
    if (!ok) await Promise.race([new Promise((r) => conn.socket.once('drain', r)), conn.closed]);
  }
  return written;
}

describe('protocol hygiene before aedes sees the bytes', () => {
  const env = isolatedEnv({ MQTT_CONNECT_TIMEOUT_MS: '1500' });
  let broker: BrokerProcess;
  let meter: DeviceCredentials;

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
    await vigieJson(['tenants', 'add', 'town'], env);
    meter = await vigieJson<DeviceCredentials>(
      ['devices', 'add', '--tenant', 'town', '--id', 'm1', '--kind', 'energy-meter'],
      env,
    );
  });
  afterAll(async () => broker.stop());

  it('closes a 200 MiB CONNECT that never completes, at its header, without buffering it', async () => {
    const before = broker.rssBytes();
    const conn = await openRaw(broker.mqttPort);
    conn.socket.write(Buffer.concat([Buffer.from([0x10]), remainingLength(200 * MiB)]));
    const written = await flood(conn, 200 * MiB);
    await conn.closed;
    expect(written).toBeLessThan(200 * MiB);
    expect(broker.rssBytes() - before).toBeLessThan(10 * MiB);
    expect(await broker.metrics()).toMatch(
      /vigie_mqtt_connections_refused_total\{reason="packet_too_large"\} 1/,
    );
    expect(broker.isRunning()).toBe(true);
  });

  it('closes an 8 MiB PUBLISH from an authenticated device, and keeps memory flat', async () => {
    const conn = await openRaw(broker.mqttPort);
    conn.socket.write(
      mqttPacket.generate({
        cmd: 'connect',
        clientId: 'm1',
        username: meter.username,
        password: Buffer.from(meter.password),
        protocolVersion: 4,
        keepalive: 60,
        clean: true,
        protocolId: 'MQTT',
      }),
    );
    await expectEventually(() => expect(Buffer.concat(conn.received)[0]).toBe(0x20));
    expect(Buffer.concat(conn.received)[3]).toBe(0); // CONNACK accepted
    const before = broker.rssBytes();
    const topic = Buffer.from(meter.topic);
    const payloadLength = 8 * MiB;
    const header = Buffer.concat([
      Buffer.from([0x32]),
      remainingLength(2 + topic.length + 2 + payloadLength),
      utf8Field(topic),
      Buffer.from([0, 1]),
    ]);
    conn.socket.write(header);
    await flood(conn, payloadLength);
    await conn.closed;
    expect(broker.rssBytes() - before).toBeLessThan(10 * MiB);
    expect(await broker.metrics()).toMatch(
      /vigie_mqtt_connections_refused_total\{reason="packet_too_large"\} 2/,
    );
  });

  it('closes a connection whose CONNECT never finishes, after the connect timeout', async () => {
    const conn = await openRaw(broker.mqttPort);
    const started = Date.now();
    conn.socket.write(Buffer.from([0x10, 100, 0, 4]));
    await conn.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(conn.received).toEqual([]);
  });

  it('refuses an empty client id that asks for a persistent session (CONNACK 2)', async () => {
    const conn = await openRaw(broker.mqttPort);
    conn.socket.write(rawConnect(Buffer.alloc(0), meter.username, meter.password, false));
    await conn.closed;
    expect([...Buffer.concat(conn.received)]).toEqual([0x20, 2, 0, 2]);
  });

  it('refuses a client id that is not valid UTF-8 (CONNACK 2)', async () => {
    const conn = await openRaw(broker.mqttPort);
    conn.socket.write(rawConnect(Buffer.from([0x6d, 0xff, 0xfe, 0x31]), meter.username, meter.password));
    await conn.closed;
    expect([...Buffer.concat(conn.received)]).toEqual([0x20, 2, 0, 2]);
  });

  it('accepts an empty client id with a clean session', async () => {
    const conn = await openRaw(broker.mqttPort);
    conn.socket.write(rawConnect(Buffer.alloc(0), meter.username, meter.password, true));
    await expectEventually(() => expect([...Buffer.concat(conn.received)]).toEqual([0x20, 2, 0, 0]));
    conn.socket.destroy();
  });
});
