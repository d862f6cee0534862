import type { StoredAlert } from '@vigie/adapters';

export type { StoredAlert };

/**
 * Where the notification side reads alerts from. The alert store implements it; notifications only read.
 */
export interface AlertSource {
  /** The tenant's open alerts (firing or acknowledged). */
  listOpen(tenant: string): Promise<StoredAlert[]>;
  /** The tenant's alerts fired in [from, to) (epoch ms), whatever their state now. */
  listBetween(tenant: string, from: number, to: number): Promise<StoredAlert[]>;
}
