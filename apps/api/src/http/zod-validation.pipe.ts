import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ApiError, ApiErrorCode } from './api.errors';

/**
 * Validates one request part (body, query, params) with a zod schema. Schemas are `strict`: an unknown field is an
 * error, like a global ValidationPipe with `forbidNonWhitelisted`. (A global pipe would need each parameter's type
 * from decorator metadata, which the esbuild bundle does not emit; one pipe per parameter names its schema.)
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly part: 'body' | 'query' | 'params',
    /** For one path parameter: its name (the field is `params.<name>`). */
    private readonly name?: string,
  ) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(this.name === undefined ? (value ?? {}) : value);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.flatMap((i) => {
      // An unknown key is reported on the key itself, not on its parent object.
      const keys = i.code === 'unrecognized_keys' ? i.keys : [undefined];
      return keys.map((k) => ({
        field: [
          this.part,
          ...(this.name === undefined ? [] : [this.name]),
          ...i.path.map(String),
          ...(k === undefined ? [] : [k]),
        ].join('.'),
        message: i.code === 'unrecognized_keys' ? 'unknown field' : i.message,
      }));
    });
    throw new ApiError(
      ApiErrorCode.ValidationFailed,
      `invalid ${this.part}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
}
