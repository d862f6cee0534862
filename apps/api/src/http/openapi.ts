import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_SCHEME } from '../access/access.decorators';

/** Where the Swagger UI is served; the document itself is at `${OPENAPI_PATH}-json`. */
export const OPENAPI_PATH = 'api/docs';

/** The OpenAPI document of every `/api/v1` route, built from the controllers and their zod schemas. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Vigie API')
    .setDescription(
      'Registry, readings, KPIs, alerts, access and audit of a Vigie platform. Every route but the open-data ones ' +
        "needs an API key (`Authorization: Bearer vk_…`, see `vigie apikeys add`) whose role grants the route's " +
        '`x-vigie-permission` and, on `/tenants/{tenant}/…`, whose tenant is that one. Errors are ' +
        '`{statusCode, error, message, issues?}`, `issues` naming each bad field.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'vk_<id>.<secret>' }, API_KEY_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves Swagger UI at /api/docs and the document at /api/docs-json. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_PATH, app, () => openApiDocument(app), {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
  });
}
