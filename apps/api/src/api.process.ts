import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { API_CONFIG_KEYS, ApiConfig, configOrExit, loadConfig } from '@vigie/config';
import { createLogger, runUntilStopSignal } from '@vigie/observability';
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
  const config = configOrExit('vigie api', () => loadConfig(API_CONFIG_KEYS));
  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, name: 'vigie-api' });
  const api = await startApi(config, logger);
  onStarted?.(api);
  await runUntilStopSignal(logger, () => api.stop(), 30_000);
}
