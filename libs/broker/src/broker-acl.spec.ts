import { Account, AuthenticatedPrincipal, Device } from '@vigie/adapters';
import { lorawanTopics } from '@vigie/contracts';
import { mayPublish, maySubscribe } from './vigie-broker';

const account = (over: Partial<Account>): AuthenticatedPrincipal => ({
  type: 'account',
  account: { username: 'account:lyon:a', tenant: 'lyon', id: 'a', acl: [], createdAt: '', ...over },
});
const device: Device = { tenant: 'lyon', id: 'bin-1', kind: 'bin-sensor', intervalS: 900, createdAt: '' };

const CS_UP = lorawanTopics.chirpstackEvent('app', '70b3d57ed0001234', 'up');
const CS_STATUS = lorawanTopics.chirpstackEvent('app', '70b3d57ed0001234', 'status');
const TTS_UP = lorawanTopics.ttsEvent('app', 'ttn', 'bin-1', 'up');

describe('publish and subscribe ACLs for LoRaWAN', () => {
  it.each([
    ['a ChirpStack account', account({ lorawan: 'chirpstack' }), CS_UP, true],
    ['a ChirpStack account, other events', account({ lorawan: 'chirpstack' }), CS_STATUS, true],
    ['a ChirpStack account on TTS topics', account({ lorawan: 'chirpstack' }), TTS_UP, false],
    ['a TTS account', account({ lorawan: 'tts' }), TTS_UP, true],
    ['a TTS account on ChirpStack topics', account({ lorawan: 'tts' }), CS_UP, false],
    ['a TTS account, a non-event topic', account({ lorawan: 'tts' }), 'v3/app@ttn/devices', false],
    [
      'a LoRaWAN account, another tenant',
      account({ lorawan: 'tts' }),
      'vigie/nice/devices/x/readings',
      false,
    ],
    ['a plain account of the tenant', account({ acl: ['vigie/lyon/#'] }), CS_UP, false],
    ['an account granted the topic by a wide ACL', account({ acl: ['application/#'] }), CS_UP, false],
    ['a LoRaWAN account without tenant', account({ tenant: undefined, lorawan: 'chirpstack' }), CS_UP, false],
    ['a device', { type: 'device', device } as AuthenticatedPrincipal, CS_UP, false],
    ['a LoRaWAN account, a $ topic', account({ lorawan: 'chirpstack' }), '$SYS/x', false],
  ])('%s may publish %s: %p', (_who, principal, topic, allowed) => {
    expect(mayPublish(principal, topic)).toBe(allowed);
  });

  it('gives LoRaWAN accounts no subscription beyond their ACL', () => {
    expect(maySubscribe(account({ lorawan: 'chirpstack' }), 'application/#')).toBe(false);
    expect(
      maySubscribe(account({ lorawan: 'chirpstack', acl: ['vigie/lyon/#'] }), 'vigie/lyon/lorawan/#'),
    ).toBe(true);
  });
});
