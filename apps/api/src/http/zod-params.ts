import { Body, Param, Query, SetMetadata } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { ID_PATTERN } from '@vigie/contracts';
import { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe';

type JsonSchema = Record<string, unknown>;

/** Set on a handler that validates a body / a query string (StrictInputInterceptor refuses them elsewhere). */
export const BODY_SCHEMA_METADATA = 'vigie:body-schema';
export const QUERY_SCHEMA_METADATA = 'vigie:query-schema';

/** The JSON Schema of a zod schema as OpenAPI 3.0 takes it (input side: what a client sends). */
export function openApiSchema(schema: z.ZodType): JsonSchema {
  const json: JsonSchema = {
    ...z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }),
  };
  delete json['$schema'];
  return json;
}

/** Applies a method decorator from inside a parameter decorator (both describe the same handler). */
function onMethod(decorator: MethodDecorator, target: object, key: string | symbol | undefined): void {
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor) decorator(target, key, descriptor);
}

/**
 * The request body, validated by `schema` (400 naming each bad field) and described by it in the OpenAPI
 * document: one declaration serves both.
 */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodValidationPipe(schema, 'body'))(target, key, index);
    onMethod(SetMetadata(BODY_SCHEMA_METADATA, true), target, key);
    onMethod(ApiBody({ schema: openApiSchema(schema) }), target, key);
  };
}

/** The query string, validated by an object schema; each of its properties is documented as a query parameter. */
export function ZodQuery(schema: z.ZodObject): ParameterDecorator {
  return (target, key, index) => {
    Query(new ZodValidationPipe(schema, 'query'))(target, key, index);
    onMethod(SetMetadata(QUERY_SCHEMA_METADATA, true), target, key);
    const json = openApiSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property;
      onMethod(
        ApiQuery({
          name,
          required: json.required?.includes(name) ?? false,
          schema: rest,
          ...(typeof description === 'string' ? { description } : {}),
        }),
        target,
        key,
      );
    }
  };
}

/**
 * A path parameter, validated (a malformed one is a 400 naming it, not a lookup) and documented. By default a
 * registry id (tenants, sites, devices, accounts).
 */
export function IdParam(
  name: string,
  description: string,
  schema: z.ZodString = ID_SCHEMA,
): ParameterDecorator {
  return (target, key, index) => {
    Param(name, new ZodValidationPipe(schema, 'params', name))(target, key, index);
    onMethod(ApiParam({ name, description, schema: openApiSchema(schema) }), target, key);
  };
}

/** Vigie's registry ids: the grammar of libs/contracts' ID_PATTERN. */
export const ID_SCHEMA = z
  .string()
  .regex(ID_PATTERN, 'must be 1–63 of a-z 0-9 _ -, starting with a letter or digit');

/** Other ids (alerts, silences, API keys, jobs, alert rules): letters, digits, `.`, `:`, `_`, `-`. */
export const TOKEN_ID_SCHEMA = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9.:_-]{0,127}$/,
    'must be 1–128 of A-Z a-z 0-9 . : _ -, starting with a letter or digit',
  );
