import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { API_CONFIG_KEYS, ApiConfig, ConfigError, loadConfig } from '@vigie/config';
import { createLogger } from '@vigie/observability';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { PinoNestLogger } from './platform/pino-nest.logger';

/** A started `vigie api` process. */
export interface RunningApi {
  readonly role: ApiConfig['VIGIE_ROLE'];
  /** The HTTP port (roles api and all). */
  readonly httpPort?: number;
  stop(): Promise<void>;
}

/** Starts the API and/or the KPI worker of `config.VIGIE_ROLE`. */
export async function startApi(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  const nestLogger = new PinoNestLogger(logger);
  const module = AppModule.forConfig(config, logger);
  let app: INestApplicationContext;
  let httpPort: number | undefined;
  if (config.VIGIE_ROLE === 'worker') {
    app = await NestFactory.createApplicationContext(module, { logger: nestLogger });
    await app.init();
    logger.info({ role: config.VIGIE_ROLE }, 'Vigie KPI worker started');
  } else {
    const http = await NestFactory.create(module, { logger: nestLogger });
    http.setGlobalPrefix('api');
    http.useGlobalFilters(new ApiExceptionFilter(logger));
    await http.listen(config.HTTP_PORT);
    httpPort = (http.getHttpServer().address() as AddressInfo).port;
    app = http;
    logger.info({ role: config.VIGIE_ROLE, httpPort }, 'Vigie API listening');
  }
  return {
    role: config.VIGIE_ROLE,
    httpPort,
    // Closes the HTTP server, then the workers (waiting for their active jobs), the queues and Redis.
    stop: () => app.close(),
  };
}

/** `vigie api`: config validated once, then runs until SIGINT/SIGTERM and stops gracefully. */
export async function runApiUntilSignal(onStarted?: (api: RunningApi) => void): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadConfig(API_CONFIG_KEYS);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`vigie api: ${err.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, name: 'vigie-api' });
  const api = await startApi(config, logger);
  onStarted?.(api);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      const force = setTimeout(() => {
        logger.error('graceful stop took more than 30 s; exiting');
        process.exit(1);
      }, 30_000);
      force.unref();
      api.stop().then(resolve, (err: Error) => {
        logger.error({ err: err.message }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
