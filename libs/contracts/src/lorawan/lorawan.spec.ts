import { RejectReason } from '@vigie/domain';
import { lorawanTopics, parseLorawanTopic } from './lorawan-topics';
import { decodeLorawanUplink } from './lorawan-uplink.decoder';
import { encodeChirpstackUplink, encodeTtsUplink, UplinkSpec } from './lorawan-uplink.encoder';

const SPEC: UplinkSpec = {
  devEui: '70B3D57ED0001234',
  deviceName: 'bin-0042',
  applicationId: 'waste-bins',
  fCnt: 118,
  time: Date.UTC(2025, 2, 1, 6, 0, 0, 123),
  object: { fillingLevel: 0.62, temperature: 14.5 },
  rssiDbm: -97,
  snrDb: 6.5,
};
const bytes = (s: string) => Buffer.from(s);
const NOW = Date.UTC(2025, 2, 1, 6, 0, 1);

describe('LoRaWAN topics', () => {
  it.each([
    [
      'application/3f1c/device/70b3d57ed0001234/event/up',
      { network: 'chirpstack', applicationId: '3f1c', deviceRef: '70b3d57ed0001234', event: 'up' },
    ],
    [
      'application/3f1c/device/70b3d57ed0001234/event/status',
      { network: 'chirpstack', applicationId: '3f1c', deviceRef: '70b3d57ed0001234', event: 'status' },
    ],
    [
      'v3/waste-bins@ttn/devices/bin-0042/up',
      { network: 'tts', applicationId: 'waste-bins', ttsTenant: 'ttn', deviceRef: 'bin-0042', event: 'up' },
    ],
    [
      'v3/app@city/devices/d1/down/ack',
      { network: 'tts', applicationId: 'app', ttsTenant: 'city', deviceRef: 'd1', event: 'down/ack' },
    ],
  ])('parses %s', (topic, parsed) => {
    expect(parseLorawanTopic(topic)).toEqual(parsed);
  });

  it.each([
    'application/a/device/b/event',
    'application/a/device/b/command/down',
    'application/a/devices/b/event/up',
    'v3/app/devices/d1/up',
    'v3/app@/devices/d1/up',
    'v3/app@ttn/devices/d1',
    'vigie/t/devices/d/readings',
    'application//device/b/event/up',
  ])('refuses %s', (topic) => {
    expect(parseLorawanTopic(topic)).toBeUndefined();
  });

  it('builds the topics it parses, and the tenant mirror', () => {
    expect(lorawanTopics.chirpstackEvent('a', '0011223344556677', 'up')).toBe(
      'application/a/device/0011223344556677/event/up',
    );
    expect(lorawanTopics.ttsEvent('a', 'ttn', 'd', 'up')).toBe('v3/a@ttn/devices/d/up');
    expect(lorawanTopics.tenantMirror('lyon', 'v3/a@ttn/devices/d/up')).toBe(
      'vigie/lyon/lorawan/v3/a@ttn/devices/d/up',
    );
  });
});

describe('LoRaWAN uplink encoders and decoder', () => {
  it.each([
    ['chirpstack', encodeChirpstackUplink(SPEC)],
    ['tts', encodeTtsUplink(SPEC)],
  ] as const)('%s: what the encoder writes, the decoder reads back', (network, { topic, payload }) => {
    const parsed = parseLorawanTopic(topic);
    expect(parsed?.network).toBe(network);
    const result = decodeLorawanUplink(network, bytes(payload), NOW, parsed);
    expect(result).toEqual({
      ok: true,
      uplink: {
        network,
        devEui: '70b3d57ed0001234',
        fCnt: 118,
        dedupId: expect.any(String),
        time: SPEC.time,
        timeStated: true,
        object: SPEC.object,
        rssiDbm: -97,
        snrDb: 6.5,
        fPort: 2,
        deviceName: 'bin-0042',
        applicationId: 'waste-bins',
      },
    });
    // the same spec gives the same dedup id; another frame another
    const again = decodeLorawanUplink(network, bytes(payload), NOW + 5000);
    const next = decodeLorawanUplink(
      network,
      bytes((network === 'tts' ? encodeTtsUplink : encodeChirpstackUplink)({ ...SPEC, fCnt: 119 }).payload),
      NOW,
    );
    expect(again.ok && result.ok && again.uplink.dedupId === result.uplink.dedupId).toBe(true);
    expect(next.ok && result.ok && next.uplink.dedupId !== result.uplink.dedupId).toBe(true);
  });

  it('TTS omits f_cnt 0 and writes frequency as a string; the decoder reads fCnt 0', () => {
    const { payload } = encodeTtsUplink({ ...SPEC, fCnt: 0, ttsTenant: 'city' });
    const doc = JSON.parse(payload) as {
      uplink_message: Record<string, unknown> & { settings: { frequency: unknown } };
    };
    expect('f_cnt' in doc.uplink_message).toBe(false);
    expect(doc.uplink_message.settings.frequency).toBe('867100000');
    const r = decodeLorawanUplink('tts', bytes(payload), NOW);
    expect(r.ok && r.uplink.fCnt).toBe(0);
  });

  it('keeps the strongest gateway', () => {
    const spec = {
      ...SPEC,
      extraGateways: [
        { rssiDbm: -80, snrDb: 2 },
        { rssiDbm: -110, snrDb: 9.5 },
      ],
    };
    for (const [network, enc] of [
      ['chirpstack', encodeChirpstackUplink(spec)],
      ['tts', encodeTtsUplink(spec)],
    ] as const) {
      const r = decodeLorawanUplink(network, bytes(enc.payload), NOW);
      expect(r.ok && [r.uplink.rssiDbm, r.uplink.snrDb]).toEqual([-80, 9.5]);
    }
  });

  it.each([
    ['chirpstack', '', RejectReason.EmptyPayload],
    ['chirpstack', '{', RejectReason.InvalidJson],
    ['tts', '[]', RejectReason.LorawanInvalid],
    ['chirpstack', '{"devEUI":"cLPVftAAEjQ=","objectJSON":"{}"}', RejectReason.UnsupportedLorawanVersion],
    ['chirpstack', '{"deviceInfo":{"devEui":"70b3"},"object":{}}', RejectReason.LorawanInvalid],
    [
      'chirpstack',
      '{"deviceInfo":{"devEui":"70b3d57ed0001234"},"fCnt":-1,"object":{}}',
      RejectReason.LorawanInvalid,
    ],
    [
      'chirpstack',
      '{"deviceInfo":{"devEui":"70b3d57ed0001234"},"time":"yesterday","object":{}}',
      RejectReason.LorawanInvalid,
    ],
    ['chirpstack', '{"deviceInfo":{"devEui":"70b3d57ed0001234"}}', RejectReason.NoDecodedPayload],
    ['chirpstack', '{"deviceInfo":{"devEui":"70b3d57ed0001234"},"object":[1]}', RejectReason.LorawanInvalid],
    ['tts', '{"end_device_ids":{"device_id":"d"},"uplink_message":{}}', RejectReason.LorawanInvalid],
    [
      'tts',
      '{"end_device_ids":{"dev_eui":"70B3D57ED0001234"},"uplink_message":{}}',
      RejectReason.NoDecodedPayload,
    ],
    ['tts', '{"end_device_ids":{"dev_eui":"70B3D57ED0001234"}}', RejectReason.LorawanInvalid],
  ] as const)('%s %s is refused as %s', (network, text, reason) => {
    const r = decodeLorawanUplink(network, bytes(text), NOW);
    expect(r.ok ? undefined : r.rejection.reason).toBe(reason);
    expect(r.ok ? '' : r.rejection.detail.length).toBeGreaterThan(15);
  });

  it('refuses a payload whose device is not the one its topic names', () => {
    const { payload } = encodeChirpstackUplink(SPEC);
    const topic = parseLorawanTopic('application/a/device/0000000000000001/event/up');
    const r = decodeLorawanUplink('chirpstack', bytes(payload), NOW, topic);
    expect(r).toMatchObject({
      ok: false,
      rejection: { reason: RejectReason.LorawanInvalid },
      devEui: '70b3d57ed0001234',
    });
  });
});
