import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface InfluxOptions {
  readonly url: string;
  readonly db: string;
  /** Retention policy; empty = the database's default. */
  readonly rp: string;
  /** 1.x: `user:password` (or empty); 1.8+/2.x: a token. */
  readonly token: string;
  /** InfluxDB 2.x organisation (needed there to write and create the bucket). */
  readonly org: string;
  readonly timeoutMs?: number;
}

/** The INFLUX_* settings of Vigie's configuration. */
export interface InfluxConfig {
  readonly INFLUX_URL: string;
  readonly INFLUX_DB: string;
  readonly INFLUX_RP: string;
  readonly INFLUX_TOKEN: string;
  readonly INFLUX_ORG: string;
}

/** The client options of a configuration: every process reaches InfluxDB the same way. */
export function influxOptionsOf(config: InfluxConfig, timeoutMs?: number): InfluxOptions {
  return {
    url: config.INFLUX_URL,
    db: config.INFLUX_DB,
    rp: config.INFLUX_RP,
    token: config.INFLUX_TOKEN,
    org: config.INFLUX_ORG,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

/** What the server speaks, from `/ping`'s `X-Influxdb-Version`. */
export interface InfluxServer {
  readonly version: string;
  readonly generation: '1.x' | '1.8+' | '2.x' | '3.x';
  /** Path (with query) that accepts line protocol at millisecond precision. */
  readonly writePath: string;
}

export enum InfluxErrorKind {
  /** The server refused some points for good (400): malformed or conflicting with stored types. */
  BadData = 'bad_data',
  /** The request body is larger than the server accepts (413): split it. */
  TooLarge = 'too_large',
  /** The database/bucket is missing (404 on write): create it and retry. */
  NoDatabase = 'no_database',
  /** Anything else (network, timeout, 5xx, auth): retry later, never drop data. */
  Unavailable = 'unavailable',
}

export class InfluxError extends Error {
  constructor(
    readonly kind: InfluxErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'InfluxError';
  }
}

/** Whether a query failed because the database does not exist yet (nothing was ever written): no data. */
function isMissingDatabase(err: unknown): boolean {
  return err instanceof Error && /database not found/i.test(err.message);
}

/** One point to write: measurement, tags, float fields, epoch-ms timestamp. */
export interface InfluxPoint {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, number>>;
  readonly ts: number;
}

const LP_SPECIAL = /[,= \\]/g;

/** Escapes commas, spaces, equals signs and backslashes (measurement names, tag keys and values, field keys). */
export function escapeLineProtocol(value: string): string {
  return value.replace(LP_SPECIAL, (c) => `\\${c}`);
}

/**
 * One line of line protocol at ms precision. Tags sorted by key (InfluxDB's own order), empty tag values left
 * out; numbers are written as floats (no `i`), so a field keeps one type forever. Throws on a non-finite
 * field or timestamp: such a point can never be stored.
 */
export function toLinePoint(point: InfluxPoint): string {
  const tags = Object.keys(point.tags)
    .filter((k) => point.tags[k] !== '')
    .sort()
    .map((k) => `,${escapeLineProtocol(k)}=${escapeLineProtocol(point.tags[k])}`)
    .join('');
  const fields = Object.entries(point.fields).map(([k, v]) => {
    if (!Number.isFinite(v)) throw new InfluxError(InfluxErrorKind.BadData, `field ${k} is ${v}`);
    return `${escapeLineProtocol(k)}=${String(v)}`;
  });
  if (fields.length === 0) throw new InfluxError(InfluxErrorKind.BadData, 'a point needs at least one field');
  if (!Number.isInteger(point.ts)) throw new InfluxError(InfluxErrorKind.BadData, `timestamp ${point.ts}`);
  return `${escapeLineProtocol(point.measurement)}${tags} ${fields.join(',')} ${point.ts}`;
}

/** A quoted InfluxQL identifier ("tenant"). */
export function influxIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A quoted InfluxQL string literal ('Europe/Paris'). */
export function influxString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly columns: string[];
  readonly values: unknown[][];
}

/**
 * The one adapter to InfluxDB. Writes line protocol and runs InfluxQL through `@influxdata/influxdb-client`'s
 * transport, choosing the write endpoint for the server generation it detects (1.x's `/write`, 1.8+'s and
 * 2.x's `/api/v2/write`); everything above this class sees one API. Queries use `/query` (InfluxQL), which
 * every generation accepts (2.x through its v1-compatibility DBRP mapping).
 */
export class InfluxClient {
  private readonly influx: InfluxDB;
  private server?: InfluxServer;

  constructor(private readonly opts: InfluxOptions) {
    const agent = opts.url.startsWith('https:')
      ? new HttpsAgent({ keepAlive: true })
      : new Agent({ keepAlive: true });
    const useTokenHeader = opts.token !== '' && !opts.token.includes(':');
    this.influx = new InfluxDB({
      url: opts.url,
      token: useTokenHeader ? opts.token : undefined,
      timeout: opts.timeoutMs ?? 10_000,
      transportOptions: { agent },
    });
  }

  get database(): string {
    return this.opts.db;
  }

  /** Asks `/ping` which generation the server is, and picks the write endpoint. */
  async detect(): Promise<InfluxServer> {
    let version = '';
    await this.call('/ping', '', 'GET', {}, (headers) => {
      const v = headers['x-influxdb-version'];
      version = (Array.isArray(v) ? v[0] : v) ?? '';
    });
    this.server = describeServer(version, this.opts);
    return this.server;
  }

  /** Creates the database (1.x) or bucket with its DBRP mapping (2.x) when missing. Idempotent. */
  async ensureDatabase(): Promise<void> {
    const server = this.server ?? (await this.detect());
    if (server.generation === '2.x' || server.generation === '3.x') {
      await this.ensureBucket();
      return;
    }
    // CREATE DATABASE needs an admin; a user granted only this database can still list it and go on.
    const listed = await this.query('SHOW DATABASES', { noDb: true });
    if ((listed[0]?.values ?? []).some((row) => row[0] === this.opts.db)) return;
    await this.query(`CREATE DATABASE ${influxIdent(this.opts.db)}`, { post: true, noDb: true });
  }

  /** Writes line protocol (ms precision). Throws InfluxError telling what to do next. */
  async write(body: string): Promise<void> {
    const server = this.server ?? (await this.detect());
    await this.call(server.writePath, body, 'POST', { 'content-type': 'text/plain; charset=utf-8' });
  }

  /** Writes points in batches of `batchLines` lines (ms precision); same series and time overwrite. */
  async writePoints(points: readonly InfluxPoint[], batchLines = 5000): Promise<void> {
    for (let i = 0; i < points.length; i += batchLines) {
      await this.write(
        points
          .slice(i, i + batchLines)
          .map(toLinePoint)
          .join('\n'),
      );
    }
  }

  /**
   * Deletes the points of `measurement` whose tags equal `tags`, in [startMs, endMs). A tag given as '' means
   * "without that tag" on 1.x (InfluxQL matches an absent tag with = ''); 2.x/3.x delete predicates cannot say
   * that, so there it is left out of the predicate. 1.x: InfluxQL DELETE; 2.x/3.x: `/api/v2/delete`.
   */
  async deleteRange(
    measurement: string,
    tags: Readonly<Record<string, string>>,
    startMs: number,
    endMs: number,
  ): Promise<void> {
    const server = this.server ?? (await this.detect());
    if (server.generation === '2.x' || server.generation === '3.x') {
      const predicate = [
        `_measurement="${measurement}"`,
        ...Object.entries(tags)
          .filter(([, v]) => v !== '')
          .map(([k, v]) => `${k}="${v.replace(/"/g, '\\"')}"`),
      ].join(' AND ');
      const org = this.opts.org ? `org=${encodeURIComponent(this.opts.org)}&` : '';
      await this.call(
        `/api/v2/delete?${org}bucket=${encodeURIComponent(this.opts.db)}`,
        JSON.stringify({
          start: new Date(startMs).toISOString(),
          stop: new Date(endMs - 1).toISOString(),
          predicate,
        }),
        'POST',
        { 'content-type': 'application/json' },
      );
      return;
    }
    const where = Object.entries(tags).map(([k, v]) => `${influxIdent(k)} = ${influxString(v)}`);
    where.push(`time >= ${startMs}ms`, `time < ${endMs}ms`);
    await this.query(`DELETE FROM ${influxIdent(measurement)} WHERE ${where.join(' AND ')}`, { post: true });
  }

  /** `query`, answering no series (not an error) while the database does not exist: nothing was written yet. */
  async queryOrEmpty(q: string): Promise<InfluxSeries[]> {
    try {
      return await this.query(q);
    } catch (err) {
      if (isMissingDatabase(err)) return [];
      throw err;
    }
  }

  /** Runs InfluxQL; returns the series of the first statement (epoch ms timestamps). */
  async query(q: string, opts: { post?: boolean; noDb?: boolean } = {}): Promise<InfluxSeries[]> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (!opts.noDb) params.set('db', this.opts.db);
    if (!opts.noDb && this.opts.rp) params.set('rp', this.opts.rp);
    // 1.x reads u and p from the URL only, also for a POST (its body carries the rest).
    const credentials = new URLSearchParams();
    this.addV1Credentials(opts.post ? credentials : params);
    const res = (await this.call(
      opts.post
        ? `/query${credentials.size ? `?${credentials.toString()}` : ''}`
        : `/query?${params.toString()}`,
      opts.post ? params.toString() : '',
      opts.post ? 'POST' : 'GET',
      opts.post ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    )) as { results?: { error?: string; series?: InfluxSeries[] }[]; error?: string };
    const first = res?.results?.[0];
    if (res?.error || first?.error) {
      throw new InfluxError(InfluxErrorKind.BadData, `InfluxQL error: ${res?.error ?? first?.error}`, 400);
    }
    return first?.series ?? [];
  }

  private addV1Credentials(params: URLSearchParams): void {
    const sep = this.opts.token.indexOf(':');
    if (sep > 0) {
      params.set('u', this.opts.token.slice(0, sep));
      params.set('p', this.opts.token.slice(sep + 1));
    }
  }

  private async ensureBucket(): Promise<void> {
    const org = encodeURIComponent(this.opts.org);
    const found = (await this.call(
      `/api/v2/buckets?name=${encodeURIComponent(this.opts.db)}&org=${org}`,
      '',
      'GET',
      {},
    )) as {
      buckets?: { id: string }[];
    };
    let bucketID = found.buckets?.[0]?.id;
    const orgs = (await this.call(`/api/v2/orgs?org=${org}`, '', 'GET', {})) as { orgs?: { id: string }[] };
    const orgID = orgs.orgs?.[0]?.id;
    if (!orgID)
      throw new InfluxError(
        InfluxErrorKind.Unavailable,
        `InfluxDB organisation '${this.opts.org}' not found (set INFLUX_ORG)`,
      );
    if (!bucketID) {
      const created = (await this.call(
        '/api/v2/buckets',
        JSON.stringify({ name: this.opts.db, orgID, retentionRules: [] }),
        'POST',
        {
          'content-type': 'application/json',
        },
      )) as { id: string };
      bucketID = created.id;
    }
    const dbrps = (await this.call(
      `/api/v2/dbrps?orgID=${orgID}&db=${encodeURIComponent(this.opts.db)}`,
      '',
      'GET',
      {},
    )) as {
      content?: unknown[];
    };
    if (!dbrps.content?.length) {
      await this.call(
        '/api/v2/dbrps',
        JSON.stringify({
          bucketID,
          orgID,
          database: this.opts.db,
          retention_policy: this.opts.rp || 'autogen',
          default: true,
        }),
        'POST',
        { 'content-type': 'application/json' },
      );
    }
  }

  private async call(
    path: string,
    body: string,
    method: string,
    headers: Record<string, string>,
    started?: (headers: Record<string, string | string[] | undefined>, status?: number) => void,
  ): Promise<unknown> {
    try {
      return await this.influx.transport.request(path, body, { method, headers }, started);
    } catch (err) {
      throw classify(err);
    }
  }
}

export function describeServer(
  version: string,
  opts: Pick<InfluxOptions, 'db' | 'rp' | 'org' | 'token'>,
): InfluxServer {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  const major = m ? Number(m[1]) : 1;
  const minor = m ? Number(m[2]) : 0;
  const db = encodeURIComponent(opts.db);
  if (major >= 2) {
    const generation = major >= 3 ? '3.x' : '2.x';
    const org = opts.org ? `org=${encodeURIComponent(opts.org)}&` : '';
    return { version, generation, writePath: `/api/v2/write?${org}bucket=${db}&precision=ms` };
  }
  const sep = opts.token.indexOf(':');
  // 1.8's /api/v2/write takes a token header, which the client sends only for a token without ':'; with 1.x
  // credentials (user:password) 1.8 keeps its 1.x endpoint, which takes them as u and p.
  if (minor >= 8 && sep < 0) {
    const bucket = encodeURIComponent(opts.rp ? `${opts.db}/${opts.rp}` : opts.db);
    return { version, generation: '1.8+', writePath: `/api/v2/write?bucket=${bucket}&precision=ms` };
  }
  const params = new URLSearchParams({ db: opts.db, precision: 'ms' });
  if (opts.rp) params.set('rp', opts.rp);
  if (sep > 0) {
    params.set('u', opts.token.slice(0, sep));
    params.set('p', opts.token.slice(sep + 1));
  }
  return {
    version: version || 'unknown 1.x',
    generation: minor >= 8 ? '1.8+' : '1.x',
    writePath: `/write?${params.toString()}`,
  };
}

function classify(err: unknown): InfluxError {
  if (err instanceof InfluxError) return err;
  if (err instanceof HttpError) {
    const detail = `InfluxDB answered ${err.statusCode}: ${(err.body ?? err.message).slice(0, 300)}`;
    if (err.statusCode === 400 || err.statusCode === 422)
      return new InfluxError(InfluxErrorKind.BadData, detail, err.statusCode);
    if (err.statusCode === 413) return new InfluxError(InfluxErrorKind.TooLarge, detail, 413);
    if (err.statusCode === 404 && /database not found|bucket .*not found/i.test(err.body ?? '')) {
      return new InfluxError(InfluxErrorKind.NoDatabase, detail, 404);
    }
    return new InfluxError(InfluxErrorKind.Unavailable, detail, err.statusCode);
  }
  return new InfluxError(
    InfluxErrorKind.Unavailable,
    `InfluxDB unreachable: ${(err as Error).message ?? String(err)}`,
  );
}
