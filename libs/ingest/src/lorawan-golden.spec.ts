import { isLorawanNetwork, LorawanNetwork } from '@vigie/contracts';
import { findDeviceKind } from '@vigie/devices';
import { loadGoldenCases, LORAWAN_GOLDEN_DIR } from '@vigie/testing';
import { expectGoldenOutcome } from './golden-outcome.expect';
import { dryRunIngestor } from './ingest-options';
import { planLorawanMessage, uplinkReadings } from './lorawan.ingestor';

/**
 * Golden files for LoRaWAN uplinks in libs/ingest/testdata-lorawan/<case>/: input.json (the network server's
 * message), case.json ({network, kind, topic?, receivedAt}), expected.lp and/or expected.err. The device is
 * found (tenant t1, site s1, device d1 of the case's kind). A case with `duplicateOf` is a copy of another case's
 * uplink: here its dedup id is checked; what the copy spools (expected.lp) needs Redis and is checked in
 * lorawan.ingestor.integration-spec.ts.
 */
const cases = loadGoldenCases(LORAWAN_GOLDEN_DIR);
const ingestor = dryRunIngestor();

describe('LoRaWAN uplink golden files', () => {
  it('has cases for both network servers, each with an expectation', () => {
    expect(cases.filter((c) => c.network === 'chirpstack').length).toBeGreaterThanOrEqual(8);
    expect(cases.filter((c) => c.network === 'tts').length).toBeGreaterThanOrEqual(5);
    for (const c of cases.filter((x) => x.duplicateOf === undefined))
      expect(c.expectedLines.length + c.expectedErrors.length).toBeGreaterThan(0);
    expect(
      cases
        .filter((c) => c.duplicateOf)
        .map((c) => c.network)
        .sort(),
    ).toEqual(['chirpstack', 'tts']);
  });

  const duplicates = cases.filter((c) => c.duplicateOf !== undefined);

  it.each(duplicates.map((c) => [c.name, c] as const))(
    '%s: a copy with the same dedup id as its original',
    (_name, c) => {
      const original = cases.find((o) => o.name === c.duplicateOf);
      if (!original || !isLorawanNetwork(c.network ?? '')) throw new Error(`case ${c.name}: bad duplicateOf`);
      const network = c.network as LorawanNetwork;
      const dedupId = (plan: ReturnType<typeof planLorawanMessage>) =>
        plan.step === 'uplink' ? plan.uplink.dedupId : `not an uplink: ${plan.step}`;
      const copy = dedupId(planLorawanMessage(network, c.topic, c.input, c.receivedAt));
      const first = dedupId(planLorawanMessage(network, original.topic, original.input, original.receivedAt));
      expect(copy).not.toMatch(/^not an uplink/);
      expect(copy).toBe(first);
    },
  );

  it.each(cases.filter((c) => c.duplicateOf === undefined).map((c) => [c.name, c] as const))(
    '%s',
    (_name, c) => {
      const network = c.network ?? '';
      if (!isLorawanNetwork(network)) throw new Error(`case ${c.name}: case.json needs "network"`);
      const kind = findDeviceKind(c.kind);
      if (!kind) throw new Error(`case ${c.name}: unknown kind ${c.kind}`);
      const subject = { tenant: 't1', site: 's1', device: 'd1', kind };
      const topic = c.topic ?? 'lorawan';
      const plan = planLorawanMessage(network, c.topic, c.input, c.receivedAt);
      if (plan.step === 'ignored') throw new Error(`case ${c.name}: the topic is not an uplink's`);
      const { outcome, batch } =
        plan.step === 'uplink'
          ? ingestor.prepareDecoded(subject, topic, c.input, c.receivedAt, uplinkReadings(kind, plan.uplink))
          : ingestor.refuseWhole(subject, topic, c.input, c.receivedAt, network, plan.rejection);
      expectGoldenOutcome(c, outcome, batch);
    },
  );

  it.each([
    ['chirpstack', 'application/a/device/70b3d57ed0001234/event/status', 'status'],
    ['chirpstack', 'application/a/device/70b3d57ed0001234/event/join', 'join'],
    ['tts', 'v3/a@ttn/devices/d/down/ack', 'down/ack'],
    ['tts', 'v3/a@ttn/devices/d/location/solved', 'location/solved'],
  ] as const)('%s %s is acknowledged and ignored', (network, topic, event) => {
    expect(planLorawanMessage(network, topic, Buffer.from('{}'), 0)).toEqual({ step: 'ignored', event });
  });

  it("refuses a topic that is not the account's network", () => {
    const plan = planLorawanMessage(
      'tts',
      'application/a/device/70b3d57ed0001234/event/up',
      Buffer.from('{}'),
      0,
    );
    expect(plan).toMatchObject({ step: 'refused', rejection: { reason: 'lorawan_invalid' } });
  });
});
