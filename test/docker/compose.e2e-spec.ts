import { loadFullConfig, readEnvFile, vigieEnvSchema } from '@vigie/config';
import { tempDir, VIGIE_NODE_FLAGS } from '@vigie/testing';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The Docker deployment (docker/): no Docker engine runs here, so this checks what can be checked without one —
 * the compose file as docker-compose resolves it (`config`), dclint's verdict, what the README promises, the
 * Dockerfile's final stage, and the Grafana organisation script against a stand-in of Grafana's HTTP API.
 */
const ROOT = join(__dirname, '..', '..');
const DOCKER = join(ROOT, 'docker');
const COMPOSE = join(DOCKER, 'compose.yml');
const EXAMPLE = join(DOCKER, '.env.example');
const SECRETS = [
  'CREDENTIAL_KEY',
  'INFLUX_ADMIN_PASSWORD',
  'INFLUX_ADMIN_TOKEN',
  'INFLUX_READ_PASSWORD',
  'GRAFANA_ADMIN_PASSWORD',
];
/** The services issue #6 asks for (the README may name more). */
const REQUIRED_SERVICES = ['influxdb', 'redis', 'grafana', 'broker', 'api', 'simulator'];
const VIGIE_APPS = ['broker', 'api', 'simulator'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeout = 60_000,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      }),
    );
  });
}

interface Healthcheck {
  test?: string[] | string;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
  ports?: (string | { published: number | string; target: number; host_ip?: string })[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
  init?: boolean;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Volumes in short (`src:dst:ro`) or long syntax. */
function mounts(service: Service): Mount[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source, target: v.target, readOnly: v.read_only === true };
    const [source, target, mode] = v.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });
}

/** Published ports as `host_ip:published:target`. */
function ports(service: Service): string[] {
  return (service.ports ?? []).map((p) =>
    typeof p === 'string' ? p.replace(/\/tcp$/, '') : `${p.host_ip ?? ''}:${p.published}:${p.target}`,
  );
}

function healthTest(service: Service): string[] {
  const t = service.healthcheck?.test;
  return typeof t === 'string' ? ['CMD-SHELL', t] : (t ?? []);
}

/** The first-column `names` of the services table in the README's "Run the full stack with Docker" section. */
function readmeSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.search(/^## Run the full stack with Docker\s*$/m);
  if (start < 0) throw new Error('README.md has no "## Run the full stack with Docker" section');
  const rest = readme.slice(start + 3);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

function readmeServices(section: string): string[] {
  const lines = section.split('\n');
  const header = lines.findIndex((l) => /^\|\s*service\s*\|/i.test(l));
  if (header < 0)
    throw new Error('the Docker section of README.md has no table whose first column is "service"');
  const names: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const m = /^\|\s*`([a-z][a-z0-9-]*)`\s*\|/.exec(line);
    if (!m)
      throw new Error(`README services table: the first cell of "${line.slice(0, 60)}" is not a \`name\``);
    names.push(m[1]);
  }
  return names;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the Docker deployment (docker/)', () => {
  const files = tempDir('vigie-docker-');
  const envFile = join(files.dir, 'compose.env');
  let compose: Compose;
  let services: Record<string, Service>;

  beforeAll(async () => {
    const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error(
        'docker-compose is not installed (or does not run): `sudo apt-get install -y docker-compose` ' +
          `(Debian's 1.29; .ci/run installs it). ${probe.error?.message ?? probe.stderr}`,
      );
    }
    const init = await run('bash', [join(DOCKER, 'init-env.sh'), envFile]);
    if (init.code !== 0) throw new Error(`docker/init-env.sh failed:\n${init.stderr}`);
    const config = await run('docker-compose', ['-f', COMPOSE, '--env-file', envFile, 'config']);
    if (config.code !== 0) throw new Error(`docker-compose config failed:\n${config.stderr}`);
    compose = parse(config.stdout) as Compose;
    services = compose.services;
  });
  afterAll(() => files.remove());

  it('refuses to start while a secret of docker/.env is empty, naming it', async () => {
    const r = await run('docker-compose', ['-f', COMPOSE, '--env-file', EXAMPLE, 'config']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/set (CREDENTIAL_KEY|INFLUX_\w+|GRAFANA_\w+) in docker\/\.env/);
    // The message names the variable, never a value.
    expect(r.stderr).not.toMatch(/[0-9a-f]{64}/);
  });

  it('docker/init-env.sh fills every secret with a new random value and keeps everything else', async () => {
    const example = readEnvFile(EXAMPLE);
    const made = readEnvFile(envFile);
    expect(Object.keys(made)).toEqual(Object.keys(example));
    // The example commits no secret; the made file has a fresh one for each, and every other line as is.
    const secretsOf = (env: Record<string, string>) =>
      Object.fromEntries(Object.entries(env).filter(([k]) => SECRETS.includes(k)));
    const othersOf = (env: Record<string, string>) =>
      Object.fromEntries(Object.entries(env).filter(([k]) => !SECRETS.includes(k)));
    expect(secretsOf(example)).toEqual(Object.fromEntries(SECRETS.map((k) => [k, ''])));
    expect(secretsOf(made)).toEqual(
      Object.fromEntries(SECRETS.map((k) => [k, expect.stringMatching(/^[0-9a-f]{64}$/)])),
    );
    expect(othersOf(made)).toEqual(othersOf(example));
    expect(new Set(SECRETS.map((k) => made[k])).size).toBe(SECRETS.length);
    expect(statSync(envFile).mode & 0o077).toBe(0);
    // An existing file is left as it is.
    const before = readFileSync(envFile, 'utf8');
    expect((await run('bash', [join(DOCKER, 'init-env.sh'), envFile])).code).toBe(0);
    expect(readFileSync(envFile, 'utf8')).toBe(before);
  });

  it('docker-compose resolves the file with every service of the issue, each with a health check', () => {
    for (const name of REQUIRED_SERVICES) {
      expect({ name, defined: name in services }).toEqual({ name, defined: true });
      expect({ name, test: healthTest(services[name])[0] }).toEqual({
        name,
        test: expect.stringMatching(/^CMD(-SHELL)?$/),
      });
      expect({ name, disabled: services[name].healthcheck?.disable ?? false }).toEqual({
        name,
        disabled: false,
      });
    }
  });

  it('has every service the README names, with a health check, and the README names every long-running one', () => {
    const section = readmeSection();
    const named = readmeServices(section);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) {
      expect({ name, inCompose: name in services }).toEqual({ name, inCompose: true });
      expect({ name, healthcheck: healthTest(services[name]).length > 1 }).toEqual({
        name,
        healthcheck: true,
      });
    }
    const longRunning = Object.keys(services).filter((s) => services[s].restart !== 'no');
    expect(named.sort()).toEqual(longRunning.sort());
    // The addresses it gives are the example's ports.
    const example = readEnvFile(EXAMPLE);
    expect(section).toContain(`http://localhost:${example['GRAFANA_HOST_PORT']}/`);
    expect(section).toContain(`http://127.0.0.1:${example['API_HOST_PORT']}/api/docs`);
    expect(section).toContain(`localhost:${example['MQTT_HOST_PORT']}`);
    expect(section).toContain('cp docker/.env.example docker/.env');
    expect(section).toContain('docker compose -f docker/compose.yml up -d --build');
  });

  it('passes dclint with no error and no warning', async () => {
    const r = await run(join(ROOT, 'node_modules', '.bin', 'dclint'), ['-f', 'json', COMPOSE]);
    const report = JSON.parse(r.stdout) as { messages: { type: string; rule: string; message: string }[] }[];
    const messages = report.flatMap((f) => f.messages.map((m) => `${m.type} ${m.rule}: ${m.message}`));
    expect(messages).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('runs Redis with AOF and noeviction, on a data volume', () => {
    const command = services['redis'].command ?? [];
    const option = (name: string) => command[command.indexOf(name) + 1];
    expect(command[0]).toBe('redis-server');
    expect(option('--appendonly')).toBe('yes');
    expect(option('--maxmemory-policy')).toBe('noeviction');
  });

  it('keeps every data directory on a named volume', () => {
    const dataDirs: Record<string, string> = {
      influxdb: '/var/lib/influxdb2',
      redis: '/data',
      grafana: '/var/lib/grafana',
      'grafana-orgs': '/var/lib/grafana',
      simulator: '/app/.data',
    };
    for (const [service, target] of Object.entries(dataDirs)) {
      const mount = mounts(services[service]).find((m) => m.target === target);
      expect({ service, volume: mount?.source }).toEqual({
        service,
        volume: expect.stringMatching(/^[a-z][a-z0-9-]*$/),
      });
      expect(Object.keys(compose.volumes ?? {})).toContain(mount?.source);
    }
    // Grafana's two processes share one volume: the organisation created first is there for Grafana.
    expect(mounts(services['grafana']).find((m) => m.target === '/var/lib/grafana')?.source).toBe(
      mounts(services['grafana-orgs']).find((m) => m.target === '/var/lib/grafana')?.source,
    );
  });

  it('gives Grafana the provisioning of dashboards/, read-only, and what its datasource file reads', () => {
    const grafana = services['grafana'];
    expect(mounts(grafana)).toEqual(
      expect.arrayContaining([
        {
          source: join(ROOT, 'dashboards', 'provisioning'),
          target: '/etc/grafana/provisioning',
          readOnly: true,
        },
        { source: join(ROOT, 'dashboards', 'json'), target: '/var/lib/grafana/dashboards', readOnly: true },
      ]),
    );
    const env = grafana.environment ?? {};
    const influx = services['influxdb'].environment ?? {};
    expect(env).toMatchObject({
      INFLUX_URL: 'http://influxdb:8086',
      INFLUX_DB: influx['DOCKER_INFLUXDB_INIT_BUCKET'],
      INFLUX_READ_USER: influx['INFLUX_READ_USER'],
      INFLUX_READ_PASSWORD: influx['INFLUX_READ_PASSWORD'],
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
      GF_AUTH_ANONYMOUS_ORG_NAME: services['grafana-orgs'].environment?.['GRAFANA_CITIZENS_ORG'],
    });
    expect(env['INFLUX_READ_PASSWORD']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives Grafana every variable the provisioning files read, and only the organisations that exist', () => {
    const provisioning = join(ROOT, 'dashboards', 'provisioning');
    const read = (kind: string) =>
      readdirSync(join(provisioning, kind))
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => readFileSync(join(provisioning, kind, f), 'utf8'));
    const datasources = read('datasources');
    const providers = read('dashboards');
    expect(datasources.length).toBeGreaterThan(0);
    expect(providers.length).toBeGreaterThan(0);
    const env = services['grafana'].environment ?? {};
    const referenced = [...datasources, ...providers].flatMap((text) =>
      [...text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)].map((m) => m[1]),
    );
    expect(referenced.filter((v) => !(v in env))).toEqual([]);
    // Org 1 exists in every Grafana; org 2 is what grafana-orgs creates.
    const orgIds = [...datasources, ...providers].flatMap((text) =>
      [...text.matchAll(/^\s*orgId:\s*(\d+)\s*$/gm)].map((m) => Number(m[1])),
    );
    expect([...new Set(orgIds)].sort()).toEqual([1, 2]);
    // Every dashboard provider reads a folder of dashboards/json, as mounted.
    const paths = providers.flatMap((text) => [...text.matchAll(/^\s*path:\s*(\S+)\s*$/gm)].map((m) => m[1]));
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      expect(path).toMatch(/^\/var\/lib\/grafana\/dashboards\//);
      const local = join(ROOT, 'dashboards', 'json', path.slice('/var/lib/grafana/dashboards/'.length));
      expect({ path, exists: existsSync(local) }).toEqual({ path, exists: true });
    }
  });

  it('creates the citizens’ organisation before Grafana starts, and Grafana waits for it', () => {
    const orgs = services['grafana-orgs'];
    expect(orgs.restart).toBe('no');
    expect(orgs.image).toBe(services['grafana'].image);
    expect(orgs.entrypoint).toEqual(['bash', '/vigie/create-orgs.sh']);
    expect(mounts(orgs)).toContainEqual({
      source: join(DOCKER, 'grafana', 'create-orgs.sh'),
      target: '/vigie/create-orgs.sh',
      readOnly: true,
    });
    // Not the provisioning: that is what refuses a missing organisation.
    expect(mounts(orgs).map((m) => m.target)).not.toContain('/etc/grafana/provisioning');
    expect(orgs.environment?.['GF_SECURITY_ADMIN_PASSWORD']).toBe(
      services['grafana'].environment?.['GF_SECURITY_ADMIN_PASSWORD'],
    );
    expect(services['grafana'].depends_on?.['grafana-orgs']).toEqual({
      condition: 'service_completed_successfully',
    });
  });

  it('starts each service after what it needs is healthy', () => {
    for (const app of ['broker', 'api']) {
      expect({ app, deps: services[app].depends_on }).toEqual({
        app,
        deps: { influxdb: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } },
      });
    }
    expect(services['simulator'].depends_on?.['broker']).toEqual({ condition: 'service_healthy' });
    expect(services['grafana'].depends_on?.['influxdb']).toEqual({ condition: 'service_healthy' });
  });

  it('configures Vigie’s apps with variables its config schema accepts, pointing at the stack', () => {
    const influx = services['influxdb'].environment ?? {};
    for (const app of VIGIE_APPS) {
      const env = services[app].environment ?? {};
      const unknown = Object.keys(env).filter((k) => !(k in vigieEnvSchema.shape));
      expect({ app, unknown }).toEqual({ app, unknown: [] });
      const config = loadFullConfig(env);
      expect({ app, config }).toMatchObject({
        app,
        config: {
          INFLUX_URL: 'http://influxdb:8086',
          INFLUX_DB: influx['DOCKER_INFLUXDB_INIT_BUCKET'],
          INFLUX_ORG: influx['DOCKER_INFLUXDB_INIT_ORG'],
          INFLUX_TOKEN: influx['DOCKER_INFLUXDB_INIT_ADMIN_TOKEN'],
          REDIS_URL: 'redis://redis:6379',
        },
      });
      // One image: the final stage has no curl, so health checks run node.
      expect({ app, image: services[app].image, build: services[app].build }).toEqual({
        app,
        image: 'vigie:local',
        build: { context: ROOT, dockerfile: 'docker/Dockerfile' },
      });
      expect({ app, check: healthTest(services[app]).slice(0, 3) }).toEqual({
        app,
        check: ['CMD', 'node', '-e'],
      });
    }
    expect(services['broker'].environment).toMatchObject({ MQTT_HOST: '0.0.0.0', METRICS_HOST: '0.0.0.0' });
    expect(services['broker'].environment?.['INSTANCE_ID']).toMatch(/^[a-z0-9-]+$/);
    expect(services['broker'].command).toEqual(['broker']);
    expect(services['api'].command).toEqual(['api']);
  });

  it('runs the demo town live through the broker', () => {
    const command = services['simulator'].command ?? [];
    expect(command[0]).toBe('simulate');
    expect(command).toContain('--live');
    const scenario = command[command.indexOf('--scenario') + 1];
    expect(existsSync(join(ROOT, scenario))).toBe(true);
    expect(command[command.indexOf('--mqtt-url') + 1]).toBe('mqtt://broker:1883');
    expect(healthTest(services['simulator']).join(' ')).toContain('http://broker:9464/metrics');
  });

  it('publishes only MQTT and Grafana beyond the loopback interface, and pins every image', () => {
    expect(ports(services['broker']).sort()).toEqual(['0.0.0.0:1883:1883', '127.0.0.1:9464:9464']);
    expect(ports(services['grafana'])).toEqual(['0.0.0.0:3001:3000']);
    expect(ports(services['api'])).toEqual(['127.0.0.1:3000:3000']);
    expect(ports(services['influxdb'])).toEqual(['127.0.0.1:8086:8086']);
    expect(ports(services['redis'])).toEqual([]);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, image: service.image }).toEqual({
        name,
        image: expect.stringMatching(/^[a-z0-9./-]+:(local|\d+(\.\d+)+(-[a-z0-9]+)?)$/),
      });
    }
  });

  it('builds with a multi-stage Dockerfile whose final stage has no dev dependency and runs as non-root', () => {
    const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8')
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .join('\n');
    const stages = dockerfile.split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const [build, final] = [stages[0], stages[stages.length - 1]];
    expect(build).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm AS build$/m);
    expect(build).toMatch(/^RUN npm ci\b/m);
    expect(build).toMatch(/^RUN npm run build:cli$/m);
    expect(final).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim\b/m);
    const installs = final.match(/^RUN .*npm (ci|install)\b.*$/gm) ?? [];
    expect(installs.length).toBe(1);
    expect(installs[0]).toContain('--omit=dev');
    expect(dockerfile).not.toContain('--omit=optional');
    expect(final).toMatch(/^COPY --from=build \/src\/dist\/apps \.\/dist\/apps$/m);
    expect(final).toMatch(/^COPY devices\/scenarios \.\/devices\/scenarios$/m);
    const users = final.match(/^USER (\S+)$/gm) ?? [];
    expect(users.at(-1)).toBe('USER node');
    // The image runs the CLI with the Node flags of `npm run vigie`.
    expect(final).toContain(
      `ENTRYPOINT ${JSON.stringify(['node', ...VIGIE_NODE_FLAGS, 'dist/apps/cli/main.js']).replace(/","/g, '", "')}`,
    );
    expect(VIGIE_NODE_FLAGS).toContain('--max-semi-space-size=64');
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=20\.\d+\.\d+$/m);
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/.env', '.git', '.data', 'dist']));
  });

  it('ships executable, syntactically valid shell scripts (the InfluxDB image runs only executable ones)', async () => {
    for (const script of ['init-env.sh', 'influxdb/init/10-influxql.sh', 'grafana/create-orgs.sh']) {
      const file = join(DOCKER, script);
      expect({ script, executable: (statSync(file).mode & 0o111) !== 0 }).toEqual({
        script,
        executable: true,
      });
      expect({ script, ...(await run('bash', ['-n', file])) }).toMatchObject({ script, code: 0 });
    }
  });

  describe('grafana/create-orgs.sh, against a stand-in of Grafana’s HTTP API', () => {
    const ADMIN = 'admin';
    const PASSWORD = 'grafana-admin-secret';

    /** A Node stand-in for Grafana: GET /api/health, GET /api/orgs/name/:name, POST /api/orgs (basic auth). */
    const standIn = `
      const http = require('node:http');
      const fs = require('node:fs');
      const orgs = JSON.parse(process.env.FAKE_ORGS);
      let nextId = Number(process.env.FAKE_NEXT_ID);
      const log = (line) => fs.appendFileSync(process.env.FAKE_LOG, line + '\\n');
      const expected = 'Basic ' + Buffer.from(process.env.FAKE_AUTH).toString('base64');
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          log(req.method + ' ' + req.url + (body ? ' ' + body : ''));
          const send = (status, value) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };
          if (req.url === '/api/health') return send(200, { database: 'ok' });
          if (req.headers.authorization !== expected) return send(401, { message: 'invalid username or password' });
          const byName = /^\\/api\\/orgs\\/name\\/(.+)$/.exec(req.url);
          if (req.method === 'GET' && byName) {
            const name = decodeURIComponent(byName[1]);
            const org = orgs.find((o) => o.name === name);
            return org ? send(200, { id: org.id, name: org.name, address: {} }) : send(404, { message: 'Organization not found' });
          }
          if (req.method === 'POST' && req.url === '/api/orgs') {
            const { name } = JSON.parse(body);
            const org = { id: nextId++, name };
            orgs.push(org);
            return send(200, { message: 'Organization created', orgId: org.id });
          }
          send(404, { message: 'not found' });
        });
      });
      setTimeout(() => server.listen(Number(process.env.GF_SERVER_HTTP_PORT), '127.0.0.1'), 300);
      process.on('SIGTERM', () => { log('stopped'); process.exit(0); });
    `;

    async function createOrgs(opts: {
      orgs: { id: number; name: string }[];
      nextId: number;
      password?: string;
      name?: string;
    }): Promise<Run & { requests: string[] }> {
      const dir = tempDir('vigie-grafana-orgs-');
      try {
        const script = join(dir.dir, 'grafana-stand-in.js');
        writeFileSync(script, standIn);
        const start = join(dir.dir, 'start.sh');
        writeFileSync(start, `#!/usr/bin/env bash\nexec node ${JSON.stringify(script)}\n`, { mode: 0o755 });
        const log = join(dir.dir, 'requests.log');
        writeFileSync(log, '');
        const r = await run(
          'bash',
          [join(DOCKER, 'grafana', 'create-orgs.sh')],
          {
            PATH: process.env['PATH'],
            GRAFANA_START: start,
            GF_SERVER_HTTP_PORT: String(await freePort()),
            GF_SECURITY_ADMIN_USER: ADMIN,
            GF_SECURITY_ADMIN_PASSWORD: opts.password ?? PASSWORD,
            GRAFANA_CITIZENS_ORG: opts.name ?? 'Citoyens',
            FAKE_ORGS: JSON.stringify(opts.orgs),
            FAKE_NEXT_ID: String(opts.nextId),
            FAKE_AUTH: `${ADMIN}:${PASSWORD}`,
            FAKE_LOG: log,
          },
          30_000,
        );
        const requests = readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l && !l.startsWith('GET /api/health'));
        return { ...r, requests };
      } finally {
        dir.remove();
      }
    }

    const MAIN = { id: 1, name: 'Main Org.' };

    it('creates the organisation on a new volume, as org 2, and stops its Grafana', async () => {
      const r = await createOrgs({ orgs: [MAIN], nextId: 2 });
      expect(r).toMatchObject({ code: 0 });
      expect(r.stderr).toContain("organisation 'Citoyens' is org 2");
      expect(r.requests).toEqual([
        'GET /api/orgs/name/Citoyens',
        'POST /api/orgs {"name":"Citoyens"}',
        'stopped',
      ]);
    });

    it('only checks when the organisation exists (every later start)', async () => {
      const r = await createOrgs({
        orgs: [MAIN, { id: 2, name: 'Ville ouverte' }],
        nextId: 3,
        name: 'Ville ouverte',
      });
      expect(r).toMatchObject({ code: 0 });
      expect(r.requests).toEqual(['GET /api/orgs/name/Ville%20ouverte', 'stopped']);
    });

    it('fails, saying why, when the organisation would not be org 2 or the admin password is not Grafana’s', async () => {
      const taken = await createOrgs({ orgs: [MAIN, { id: 2, name: 'Autre' }], nextId: 3 });
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain("organisation 'Citoyens' has id 3");
      expect(taken.stderr).toContain('orgId 2');
      expect(taken.requests.at(-1)).toBe('stopped');

      const refused = await createOrgs({ orgs: [MAIN], nextId: 2, password: 'not-the-one' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('GRAFANA_ADMIN_USER/GRAFANA_ADMIN_PASSWORD in docker/.env');
      expect(refused.stderr).not.toContain('not-the-one');
      expect(refused.requests).toEqual(['GET /api/orgs/name/Citoyens', 'stopped']);
    });
  });
});
