import { RegistryError, RegistryErrorCode } from '@vigie/adapters';
import { KpiEngineError, KpiEngineErrorCode } from '@vigie/kpi';
import { NotFoundException } from '@nestjs/common';
import { computeBodySchema, kpiPointsQuerySchema } from '../kpi/kpi-api.schemas';
import { ApiError, ApiErrorCode, apiErrorStatus } from './api.errors';
import { ApiExceptionFilter, toApiError } from './api-exception.filter';
import { ZodValidationPipe } from './zod-validation.pipe';

describe('API errors', () => {
  it('maps domain errors to API errors and statuses', () => {
    const cases: [unknown, ApiErrorCode, number][] = [
      [new KpiEngineError(KpiEngineErrorCode.UnknownTenant, 'x'), ApiErrorCode.TenantNotFound, 404],
      [new KpiEngineError(KpiEngineErrorCode.InvalidDate, 'x'), ApiErrorCode.InvalidKpiRequest, 400],
      [new KpiEngineError(KpiEngineErrorCode.UnknownKpi, 'x'), ApiErrorCode.InvalidKpiRequest, 400],
      [new RegistryError(RegistryErrorCode.TenantNotFound, 'x'), ApiErrorCode.TenantNotFound, 404],
      [new NotFoundException('Cannot GET /api/x'), ApiErrorCode.RouteNotFound, 404],
      [new Error('boom'), ApiErrorCode.Internal, 500],
    ];
    for (const [err, code, status] of cases) {
      expect(toApiError(err).code).toBe(code);
      expect(apiErrorStatus(code)).toBe(status);
    }
    // An internal error never leaks its message.
    expect(toApiError(new Error('password=hunter2')).message).toBe('internal error (see the server logs)');
  });

  it('writes the JSON body with the status, code, message and issues', () => {
    const sent: { status?: number; body?: unknown } = {};
    const res = {
      status(code: number) {
        sent.status = code;
        return { json: (body: unknown) => (sent.body = body) };
      },
    };
    const host = { switchToHttp: () => ({ getResponse: () => res }) };
    const logger = { error: jest.fn() };
    new ApiExceptionFilter(logger as never).catch(
      new ApiError(ApiErrorCode.ValidationFailed, 'invalid body: body.to: required', [
        { field: 'body.to', message: 'required' },
      ]),
      host as never,
    );
    expect(sent).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'validation_failed',
        message: 'invalid body: body.to: required',
        issues: [{ field: 'body.to', message: 'required' }],
      },
    });
    expect(logger.error).not.toHaveBeenCalled();
  });
});

describe('ZodValidationPipe', () => {
  const body = new ZodValidationPipe(computeBodySchema, 'body');

  it('passes a valid body through', () => {
    expect(body.transform({ from: '2026-03-01', to: '2026-03-31', kpis: ['B1'] })).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      kpis: ['B1'],
    });
  });

  it('names every bad, missing and unknown field', () => {
    let error: unknown;
    try {
      body.transform({ from: 20260301, extra: 1, other: 2 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).issues).toEqual([
      { field: 'body.from', message: 'must be a string' },
      { field: 'body.to', message: 'required' },
      { field: 'body.extra', message: 'unknown field' },
      { field: 'body.other', message: 'unknown field' },
    ]);
  });

  it('refuses a query kpi that is not an output id', () => {
    const query = new ZodValidationPipe(kpiPointsQuerySchema, 'query');
    expect(() => query.transform({ kpi: 'B1', from: '2026-03-01', to: '2026-03-02' })).toThrow(
      'invalid query: query.kpi: must be a KPI output id such as B1.consumption_kwh (docs/kpis.md)',
    );
    expect(
      query.transform({ kpi: 'B1.consumption_kwh', from: '2026-03-01', to: '2026-03-02' }),
    ).toMatchObject({
      kpi: 'B1.consumption_kwh',
    });
  });
});
