import type { NotifyDeliverJobData } from '@vigie/contracts';

/** A delivery as a notifier sends it: the job's data, and the route's webhook secret when it has one. */
export type OutgoingNotification = NotifyDeliverJobData & { readonly secret?: string };

/**
 * Sends one message. Resolves once the receiver accepted it; rejects with a NotifyError whose `permanent` says
 * whether retrying can help.
 */
export interface Notifier {
  send(d: OutgoingNotification): Promise<void>;
}
