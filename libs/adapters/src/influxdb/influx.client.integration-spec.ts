import { startInfluxd } from '@vigie/local-services';
import { tempDir } from '@vigie/testing';
import { InfluxClient } from './influx.client';

/**
 * InfluxDB 1.x with authentication on (a production set-up): Vigie's login is granted its database only, not admin.
 */
describe('InfluxClient against an InfluxDB 1.x with authentication', () => {
  const dir = tempDir('vigie-influx-auth-');
  let influxd: Awaited<ReturnType<typeof startInfluxd>>;
  const client = (token: string, db = 'town') =>
    new InfluxClient({ url: influxd.url, db, rp: '', token, org: '' });

  beforeAll(async () => {
    influxd = await startInfluxd({ dataDir: dir.dir, authEnabled: true });
    // The first user may be created without credentials; everything after needs them.
    await client('').query("CREATE USER admin WITH PASSWORD 'adm1n' WITH ALL PRIVILEGES", {
      post: true,
      noDb: true,
    });
    const admin = client('admin:adm1n');
    await admin.query('CREATE DATABASE town', { post: true, noDb: true });
    await admin.query("CREATE USER vigie WITH PASSWORD 'v1gie'", { post: true, noDb: true });
    await admin.query('GRANT ALL ON town TO vigie', { post: true, noDb: true });
  }, 60_000);
  afterAll(async () => {
    await influxd?.stop();
    dir.remove();
  });

  it('starts, writes and reads with a login granted only its database (no CREATE DATABASE needed)', async () => {
    const vigie = client('vigie:v1gie');
    await expect(vigie.ensureDatabase()).resolves.toBeUndefined();
    await vigie.write('energy_meter,device=m1,tenant=t1 energy_kwh=12.5 1767225600000');
    const [series] = await vigie.query('SELECT energy_kwh FROM energy_meter');
    expect(series.values).toEqual([[1767225600000, 12.5]]);
  });

  it('says what is wrong with a bad password or a database it may not create', async () => {
    await expect(client('vigie:wrong').write('m v=1 1767225600000')).rejects.toThrow(/401|authorization/i);
    await expect(client('vigie:v1gie', 'other').ensureDatabase()).rejects.toThrow(/admin/i);
  });
});
