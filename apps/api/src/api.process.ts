import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { API_CONFIG_KEYS, ApiConfig, configOrExit, loadConfig } from '@vigie/config';
import { ApiMetrics, createLogger, runUntilStopSignal } from '@vigie/observability';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { serveOpenApi } from './http/openapi';
import { PinoNestLogger } from './platform/pino-nest.logger';
import { API_METRICS } from './platform/platform.tokens';

/** What the request-metrics middleware reads (Express request and response). */
interface HttpRequest {
  readonly method: string;
  readonly route?: { readonly path?: string };
}
interface HttpResponse {
  readonly statusCode: number;
  on(event: 'finish', listener: () => void): void;
}

/** A started `vigie api` process. */
export interface RunningApi {
  readonly role: ApiConfig['VIGIE_ROLE'];
  /** The HTTP port (every role; a worker serves only health, readiness and metrics there). */
  readonly httpPort: number;
  stop(): Promise<void>;
}

/** Starts the API and/or the KPI worker of `config.VIGIE_ROLE`. */
export async function startApi(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  const nestLogger = new PinoNestLogger(logger);
  const module = AppModule.forConfig(config, logger);
  // Every role listens on HTTP_PORT: api and all serve the whole API, a worker only health, readiness, metrics.
  const http = await NestFactory.create<NestExpressApplication>(module, {
    logger: nestLogger,
    bodyParser: false,
  });
  // JSON bodies up to 4 MB (a devices import); a malformed or larger one is a 400/413 from the exception filter.
  http.useBodyParser('json', { limit: '4mb' });
  http.setGlobalPrefix('api');
  if (config.VIGIE_ROLE !== 'worker') serveOpenApi(http);
  http.useGlobalFilters(new ApiExceptionFilter(logger));
  const metrics = http.get<ApiMetrics>(API_METRICS);
  http.use((req: HttpRequest, res: HttpResponse, next: () => void) => {
    const end = metrics.httpRequests.startTimer();
    res.on('finish', () =>
      end({ method: req.method, route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }),
    );
    next();
  });
  await http.listen(config.HTTP_PORT);
  const httpPort = (http.getHttpServer().address() as AddressInfo).port;
  const app: INestApplicationContext = http;
  if (config.VIGIE_ROLE === 'worker')
    logger.info({ role: config.VIGIE_ROLE, httpPort }, 'Vigie KPI worker started');
  else logger.info({ role: config.VIGIE_ROLE, httpPort }, 'Vigie API listening');
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
