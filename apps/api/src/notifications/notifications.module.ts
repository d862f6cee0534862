import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import {
  AlertRoutesRepository,
  ChannelNotifier,
  Notifier,
  Redis,
  RedisKeys,
  SmtpNotifier,
  WebhookNotifier,
} from '@vigie/adapters';
import { AlertSource, NotificationDispatcher } from '@vigie/alerts';
import { ApiConfig } from '@vigie/config';
import { NOTIFY_QUEUE } from '@vigie/contracts';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ALERT_NOTIFY_PORT, ALERT_REPOSITORY, API_CONFIG, LOGGER, REDIS } from '../platform/platform.tokens';
import { ALERT_ROUTES, NOTIFICATION_DISPATCHER, NOTIFIER } from './notifications.tokens';
import { NotifyProcessor } from './notify.processor';

const SMTP = Symbol('SmtpNotifier');

/** Closes the SMTP transport on shutdown. */
class SmtpCloser implements OnApplicationShutdown {
  constructor(@Inject(SMTP) private readonly smtp: SmtpNotifier) {}

  onApplicationShutdown(): void {
    this.smtp.close();
  }
}

/**
 * Alert notifications: the `vigie-notify` queue, the routes repository, the e-mail and webhook notifiers and the
 * NotificationDispatcher (every role: the API enqueues too), and the delivery worker (role worker).
 * Global, so the alert modules inject ALERT_NOTIFY_PORT (the dispatcher) and ALERT_ROUTES without importing this
 * one; the digest and the reminders read the alert store (ALERT_REPOSITORY, from the platform).
 */
@Global()
@Module({})
export class NotificationsModule {
  static forRole(role: { http: boolean; worker: boolean }): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [BullModule.registerQueue({ name: NOTIFY_QUEUE })],
      providers: [
        {
          provide: ALERT_ROUTES,
          inject: [REDIS, API_CONFIG],
          useFactory: (redis: Redis, config: ApiConfig) =>
            new AlertRoutesRepository(redis, new RedisKeys(config.REDIS_PREFIX)),
        },
        {
          provide: SMTP,
          inject: [API_CONFIG],
          useFactory: (config: ApiConfig) =>
            new SmtpNotifier({ url: config.SMTP_URL, from: config.SMTP_FROM }),
        },
        {
          provide: NOTIFIER,
          inject: [SMTP, API_CONFIG],
          useFactory: (smtp: SmtpNotifier, config: ApiConfig): Notifier =>
            new ChannelNotifier({
              email: smtp,
              webhook: new WebhookNotifier({ timeoutMs: config.WEBHOOK_TIMEOUT_MS }),
            }),
        },
        {
          provide: NOTIFICATION_DISPATCHER,
          inject: [
            getQueueToken(NOTIFY_QUEUE),
            ALERT_ROUTES,
            NOTIFIER,
            REDIS,
            API_CONFIG,
            LOGGER,
            ALERT_REPOSITORY,
          ],
          useFactory: (
            queue: Queue,
            routes: AlertRoutesRepository,
            notifier: Notifier,
            redis: Redis,
            config: ApiConfig,
            logger: Logger,
            alerts: AlertSource,
          ) =>
            new NotificationDispatcher({
              queue,
              routes,
              notifier,
              redis,
              keys: new RedisKeys(config.REDIS_PREFIX),
              logger,
              alerts,
            }),
        },
        // Alert events are notified through the dispatcher, whoever raises or changes them.
        { provide: ALERT_NOTIFY_PORT, useExisting: NOTIFICATION_DISPATCHER },
        SmtpCloser,
        ...(role.worker ? [NotifyProcessor] : []),
      ],
      exports: [ALERT_ROUTES, NOTIFIER, NOTIFICATION_DISPATCHER, ALERT_NOTIFY_PORT],
    };
  }
}
