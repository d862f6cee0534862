import { AlertRoute, validateAlertRoute } from '@vigie/domain';
import { Redis } from 'ioredis';
import { RedisKeys } from '../redis/redis-connection';

/** A route as listed to people: everything but the webhook secret, and whether it has one. */
export type AlertRouteSummary = Omit<AlertRoute, 'webhookSecret'> & { readonly hasSecret: boolean };

export function summarizeRoute(route: AlertRoute): AlertRouteSummary {
  const { webhookSecret, ...rest } = route;
  return { ...rest, hasSecret: !!webhookSecret };
}

/**
 * The notification routes of each tenant, in Redis (one hash per tenant, route id → JSON). `put` validates
 * (AlertError InvalidRoute). `list` never returns a secret; `routesOf` and `get` (for the delivery worker) do.
 */
export class AlertRoutesRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Adds or replaces a route; resolves with whether it replaced one. */
  async put(route: AlertRoute): Promise<{ replaced: boolean }> {
    validateAlertRoute(route);
    const added = await this.redis.hset(this.keys.alertRoutes(route.tenant), route.id, JSON.stringify(route));
    return { replaced: added === 0 };
  }

  async get(tenant: string, id: string): Promise<AlertRoute | undefined> {
    const raw = await this.redis.hget(this.keys.alertRoutes(tenant), id);
    return raw === null ? undefined : (JSON.parse(raw) as AlertRoute);
  }

  /** Every route of the tenant with its secret (routing and signing only; never print these). */
  async routesOf(tenant: string): Promise<AlertRoute[]> {
    const all = await this.redis.hgetall(this.keys.alertRoutes(tenant));
    return Object.keys(all)
      .sort()
      .map((id) => JSON.parse(all[id]) as AlertRoute);
  }

  async list(tenant: string): Promise<AlertRouteSummary[]> {
    return (await this.routesOf(tenant)).map(summarizeRoute);
  }

  /** Resolves with whether there was such a route. */
  async remove(tenant: string, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.alertRoutes(tenant), id)) === 1;
  }
}
