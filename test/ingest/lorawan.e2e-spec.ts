import {
  BrokerProcess,
  expectEventually,
  isolatedEnv,
  metricValue,
  runVigie,
  startBrokerProcess,
  vigieJson,
} from '@vigie/testing';
import { encodeChirpstackUplink, encodeTtsUplink, UplinkSpec } from '@vigie/contracts';
import mqtt, { MqttClient } from 'mqtt';
import { DeviceCredentials, influxFor, mosquittoPub, rows } from '../support';

interface AccountCredentials {
  username: string;
  password: string;
  lorawan?: string;
  topics?: string;
}

/** Whole seconds, an hour ago plus `ms`: inside the accepted window whatever today's date. */
const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

describe('LoRaWAN uplinks from ChirpStack v4 and The Things Stack v3', () => {
  const env = isolatedEnv();
  const influx = influxFor(env);
  let broker: BrokerProcess;
  let chirpstack: AccountCredentials;
  let tts: AccountCredentials;
  let bin: DeviceCredentials;
  const clients: MqttClient[] = [];

  const connect = (creds: { username: string; password: string }, clientId: string) =>
    new Promise<MqttClient>((resolve, reject) => {
      const c = mqtt.connect({
        host: '127.0.0.1',
        port: broker.mqttPort,
        username: creds.username,
        password: creds.password,
        clientId,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      clients.push(c);
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });

  const publishOutcome = (c: MqttClient, topic: string, payload: string) =>
    new Promise<'acked' | 'closed'>((resolve) => {
      c.once('close', () => resolve('closed'));
      c.publish(topic, payload, { qos: 1 }, (err) => (err ? resolve('closed') : resolve('acked')));
    });

  const pub = (account: AccountCredentials, msg: { topic: string; payload: string }, clientId: string) =>
    mosquittoPub({
      port: broker.mqttPort,
      username: account.username,
      password: account.password,
      clientId,
      topic: msg.topic,
      message: msg.payload,
    });

  const spec = (
    over: Partial<UplinkSpec> & Pick<UplinkSpec, 'devEui' | 'fCnt' | 'time' | 'object'>,
  ): UplinkSpec => ({
    deviceName: 'dev',
    applicationId: 'town-app',
    rssiDbm: -101,
    snrDb: 5.5,
    ...over,
  });

  beforeAll(async () => {
    broker = await startBrokerProcess(env);
    await vigieJson(['tenants', 'add', 'lyon'], env);
    await vigieJson(['tenants', 'add', 'nice'], env);
    await vigieJson(['sites', 'add', '--tenant', 'lyon', 'sector-n', '--attr', 'role=district-inflow'], env);
    await vigieJson(
      [
        'sites',
        'add',
        '--tenant',
        'lyon',
        'place-bellecour',
        '--attr',
        'role=customer',
        '--attr',
        'sector=sector-n',
      ],
      env,
    );
    const add = (args: string[]) =>
      vigieJson<DeviceCredentials>(['devices', 'add', '--tenant', 'lyon', ...args], env);
    bin = await add([
      '--id',
      'bin-42',
      '--kind',
      'bin-sensor',
      '--site',
      'place-bellecour',
      '--dev-eui',
      '70B3D57ED0001234',
    ]);
    await add(['--id', 'rain-1', '--kind', 'rain-gauge', '--dev-eui', 'a84041000181c61d']);
    await add([
      '--id',
      'meter-7',
      '--kind',
      'water-meter',
      '--site',
      'sector-n',
      '--dev-eui',
      '0004a30b001c2a3f',
    ]);
    chirpstack = await vigieJson<AccountCredentials>(
      ['accounts', 'add', '--tenant', 'lyon', '--id', 'chirpstack', '--lorawan', 'chirpstack'],
      env,
    );
    tts = await vigieJson<AccountCredentials>(
      ['accounts', 'add', '--tenant', 'lyon', '--id', 'tts', '--lorawan', 'tts'],
      env,
    );
  });

  afterAll(async () => {
    for (const c of clients) c.end(true);
    await broker.stop();
  });

  it('creates network-server accounts that list their network', async () => {
    expect(chirpstack).toMatchObject({ username: 'account:lyon:chirpstack', lorawan: 'chirpstack' });
    const list = await vigieJson<{ username: string; lorawan?: string }[]>(
      ['accounts', 'list', '--tenant', 'lyon'],
      env,
    );
    expect(list.map((a) => [a.username, a.lorawan])).toEqual([
      ['account:lyon:chirpstack', 'chirpstack'],
      ['account:lyon:tts', 'tts'],
    ]);
    const devices = await vigieJson<{ id: string; devEui?: string }[]>(
      ['devices', 'list', '--tenant', 'lyon'],
      env,
    );
    expect(devices.map((d) => [d.id, d.devEui])).toEqual([
      ['bin-42', '70b3d57ed0001234'],
      ['meter-7', '0004a30b001c2a3f'],
      ['rain-1', 'a84041000181c61d'],
    ]);
  });

  it('refuses a bad network, a DevEUI taken, a DevEUI on a kind without LoRaWAN and an unknown site role', async () => {
    const checks: [string[], string][] = [
      [
        ['accounts', 'add', '--tenant', 'lyon', '--id', 'x', '--lorawan', 'loriot'],
        "unknown LoRaWAN network server 'loriot'; accepted: chirpstack, tts",
      ],
      [
        ['accounts', 'add', '--id', 'x', '--lorawan', 'tts'],
        'a LoRaWAN integration account belongs to a tenant',
      ],
      [
        [
          'devices',
          'add',
          '--tenant',
          'lyon',
          '--id',
          'b2',
          '--kind',
          'bin-sensor',
          '--dev-eui',
          '70b3d57ed0001234',
        ],
        "already belongs to device 'bin-42'",
      ],
      [
        [
          'devices',
          'add',
          '--tenant',
          'lyon',
          '--id',
          'm2',
          '--kind',
          'energy-meter',
          '--dev-eui',
          '70b3d57ed0009999',
        ],
        "kind 'energy-meter' does not report over LoRaWAN",
      ],
      [
        ['devices', 'add', '--tenant', 'lyon', '--id', 'b3', '--kind', 'bin-sensor', '--dev-eui', 'xyz'],
        'must be 16 hex digits',
      ],
      [
        ['sites', 'add', '--tenant', 'lyon', 'pool', '--attr', 'role=pool'],
        'accepted: production, import, export, district-inflow, customer',
      ],
      [
        ['sites', 'add', '--tenant', 'lyon', 'pool', '--attr', 'sector=nowhere'],
        "no site 'nowhere' in tenant 'lyon'",
      ],
    ];
    for (const [args, message] of checks) {
      const r = await runVigie(args, env);
      expect([args.join(' '), r.code === 0, r.stderr]).toEqual([
        args.join(' '),
        false,
        expect.stringContaining(message),
      ]);
    }
  });

  it('stores ChirpStack (mosquitto_pub -q 1) and TTS (MQTT.js) uplinks as readings with link metrics', async () => {
    const cs = encodeChirpstackUplink(
      spec({
        devEui: '70b3d57ed0001234',
        deviceName: 'bin-42',
        fCnt: 10,
        time: base + 123,
        object: { fillingLevel: 0.62, temperature: 14.5, battery: 3.61 },
      }),
    );
    expect(await pub(chirpstack, cs, 'chirpstack-1')).toEqual({ code: 0, stderr: '' });
    const ttsClient = await connect(tts, 'tts-1');
    const up = encodeTtsUplink({
      ...spec({
        devEui: 'A84041000181C61D',
        deviceName: 'rain-1',
        fCnt: 0,
        time: base + 456,
        object: { precipitation: 1.2, batteryLevel: 97 },
      }),
      ttsTenant: 'city',
      extraGateways: [{ rssiDbm: -88, snrDb: 9.25 }],
    });
    expect(up.topic).toBe('v3/town-app@city/devices/rain-1/up');
    expect(await publishOutcome(ttsClient, up.topic, up.payload)).toBe('acked');
    // The whole row, eventually: InfluxDB 1.x may answer a query between the fields of one point being written
    // (a row with some fields still null), so the poll waits for the complete point.
    await expectEventually(async () => {
      const r = rows(await influx.query(`SELECT * FROM bin_sensor`));
      expect(r).toHaveLength(1);
      expect(r[0]).toEqual({
        time: base + 123,
        tenant: 'lyon',
        site: 'place-bellecour',
        device: 'bin-42',
        fill_pct: 62,
        temperature_c: 14.5,
        rssi_dbm: -101,
        snr_db: 5.5,
      });
    });
    await expectEventually(async () => {
      const r = rows(await influx.query(`SELECT * FROM rain_gauge`));
      expect(r).toHaveLength(1);
      expect(r[0]).toEqual({
        time: base + 456,
        tenant: 'lyon',
        device: 'rain-1',
        rain_mm: 1.2,
        battery_pct: 97,
        rssi_dbm: -88,
        snr_db: 9.25,
      });
    });
    const m = await broker.metrics();
    expect(metricValue(m, 'vigie_lorawan_uplinks_total{network="chirpstack",outcome="stored"}')).toBe(1);
    expect(metricValue(m, 'vigie_lorawan_uplinks_total{network="tts",outcome="stored"}')).toBe(1);
    expect(bin.topic).toBe('vigie/lyon/devices/bin-42/readings');
  });

  it('stores a duplicated uplink once and counts it; counts an fCnt gap as lost uplinks', async () => {
    const meter = (fCnt: number) =>
      encodeChirpstackUplink(
        spec({
          devEui: '0004a30b001c2a3f',
          deviceName: 'meter-7',
          fCnt,
          time: base + 60_000 * fCnt,
          object: { waterConsumption: 100 + fCnt, flow: 1.5 },
        }),
      );
    expect((await pub(chirpstack, meter(1), 'cs-a')).code).toBe(0);
    expect((await pub(chirpstack, meter(1), 'cs-b')).code).toBe(0);
    expect((await pub(chirpstack, meter(5), 'cs-c')).code).toBe(0);
    // The complete point, eventually (InfluxDB 1.x can answer between the fields of one point being written).
    await expectEventually(async () => {
      const r = rows(
        await influx.query(`SELECT volume_m3, flow_m3h FROM water_meter WHERE device='meter-7'`),
      );
      expect(r).toEqual([
        { time: base + 60_000, volume_m3: 101, flow_m3h: 1.5 },
        { time: base + 300_000, volume_m3: 105, flow_m3h: 1.5 },
      ]);
    });
    const m = await broker.metrics();
    expect(metricValue(m, 'vigie_lorawan_duplicate_uplinks_total{network="chirpstack"}')).toBe(1);
    expect(metricValue(m, 'vigie_lorawan_uplinks_total{network="chirpstack",outcome="duplicate"}')).toBe(1);
    expect(metricValue(m, 'vigie_lorawan_lost_uplinks_total{network="chirpstack"}')).toBe(3);
  });

  it('dead-letters an unknown DevEUI and a missing decoded payload with their reasons; ignores status events', async () => {
    const stranger = encodeChirpstackUplink(
      spec({ devEui: '1122334455667788', fCnt: 3, time: base, object: { fillingLevel: 0.1 } }),
    );
    expect((await pub(chirpstack, stranger, 'cs-d')).code).toBe(0);
    const noCodec = JSON.parse(
      encodeTtsUplink(spec({ devEui: '70b3d57ed0001234', fCnt: 11, time: base, object: {} })).payload,
    ) as {
      uplink_message: Record<string, unknown>;
    };
    delete noCodec.uplink_message['decoded_payload'];
    expect(
      (await pub(tts, { topic: 'v3/town-app@ttn/devices/dev/up', payload: JSON.stringify(noCodec) }, 'tts-2'))
        .code,
    ).toBe(0);
    expect(
      (
        await pub(
          chirpstack,
          { topic: 'application/town-app/device/70b3d57ed0001234/event/status', payload: '{"margin":7}' },
          'cs-e',
        )
      ).code,
    ).toBe(0);
    const letters = await expectEventually(async () => {
      const list = await vigieJson<{ reasons: string; device: string; topic: string }[]>(
        ['deadletters', 'list', '--tenant', 'lyon'],
        env,
      );
      expect(list).toHaveLength(2);
      return list;
    });
    expect(letters.map((l) => [l.reasons, l.device]).sort()).toEqual([
      ['no_decoded_payload', 'bin-42'],
      ['unknown_dev_eui', 'dev_eui:1122334455667788'],
    ]);
    const m = await broker.metrics();
    expect(metricValue(m, 'vigie_readings_rejected_total{reason="unknown_dev_eui"}')).toBe(1);
    expect(metricValue(m, 'vigie_lorawan_events_total{network="chirpstack",event="status"}')).toBe(1);
  });

  it("keeps uplinks inside the account's tenant: another tenant's subscriber receives nothing", async () => {
    const southOps = await vigieJson<AccountCredentials>(
      ['accounts', 'add', '--tenant', 'nice', '--id', 'dash', '--acl', 'vigie/nice/#'],
      env,
    );
    const lyonDash = await vigieJson<AccountCredentials>(
      ['accounts', 'add', '--tenant', 'lyon', '--id', 'dash', '--acl', 'vigie/lyon/#'],
      env,
    );
    const operator = await vigieJson<AccountCredentials>(
      ['accounts', 'add', '--id', 'ops', '--acl', '#'],
      env,
    );
    const watchers = {
      nice: await connect(southOps, 'watch-nice'),
      lyon: await connect(lyonDash, 'watch-lyon'),
      ops: await connect(operator, 'watch-ops'),
    };
    const seen: Record<string, string[]> = { nice: [], lyon: [], ops: [] };
    for (const [name, c] of Object.entries(watchers)) {
      await new Promise((resolve) =>
        c.subscribe(name === 'ops' ? '#' : `vigie/${name}/#`, { qos: 1 }, resolve),
      );
      c.on('message', (topic) => seen[name].push(topic));
    }
    const niceStranger = await connect(southOps, 'nice-raw');
    // nobody may subscribe to the raw network-server topics but an operator, and nothing is forwarded on them
    await new Promise((resolve) => niceStranger.subscribe('application/#', { qos: 1 }, resolve));
    niceStranger.on('message', (topic) => seen['nice'].push(topic));
    const up = encodeChirpstackUplink(
      spec({ devEui: '70b3d57ed0001234', fCnt: 12, time: base + 1000, object: { fillingLevel: 0.3 } }),
    );
    expect((await pub(chirpstack, up, 'cs-f')).code).toBe(0);
    const mirrored = `vigie/lyon/lorawan/${up.topic}`;
    await expectEventually(() => expect(seen['lyon']).toEqual([mirrored]));
    await expectEventually(() => expect(seen['ops']).toContain(mirrored));
    expect(seen['ops'].filter((t) => t.startsWith('application/'))).toEqual([]);
    expect(seen['nice']).toEqual([]);
  });

  it('closes a device, or another tenant\u2019s account, that publishes on the LoRaWAN topics, and stores nothing', async () => {
    const up = encodeChirpstackUplink(
      spec({ devEui: '70b3d57ed0001234', fCnt: 13, time: base + 2000, object: { fillingLevel: 0.9 } }),
    );
    const device = await connect(bin, 'bin-42');
    expect(await publishOutcome(device, up.topic, up.payload)).toBe('closed');
    const niceBridge = await vigieJson<AccountCredentials>(
      ['accounts', 'add', '--tenant', 'nice', '--id', 'bridge', '--acl', 'vigie/nice/#'],
      env,
    );
    const bridge = await connect(niceBridge, 'nice-bridge');
    expect(await publishOutcome(bridge, up.topic, up.payload)).toBe('closed');
    // a ChirpStack account may not publish TTS topics either
    const cs = await connect(chirpstack, 'cs-g');
    const ttsUp = encodeTtsUplink(
      spec({ devEui: '70b3d57ed0001234', fCnt: 14, time: base + 3000, object: { fillingLevel: 0.9 } }),
    );
    expect(await publishOutcome(cs, ttsUp.topic, ttsUp.payload)).toBe('closed');
    // barrier: a legitimate uplink after them is stored, so the refused ones would be by now
    const ok = encodeChirpstackUplink(
      spec({ devEui: '70b3d57ed0001234', fCnt: 15, time: base + 4000, object: { fillingLevel: 0.4 } }),
    );
    expect((await pub(chirpstack, ok, 'cs-h')).code).toBe(0);
    await expectEventually(async () => {
      const r = rows(await influx.query(`SELECT fill_pct FROM bin_sensor WHERE time = ${base + 4000}ms`));
      expect(r).toEqual([{ time: base + 4000, fill_pct: 40 }]);
    });
    const after = rows(
      await influx.query(
        `SELECT fill_pct FROM bin_sensor WHERE time >= ${base + 2000}ms AND time < ${base + 4000}ms`,
      ),
    );
    expect(after).toEqual([]);
  });
});
