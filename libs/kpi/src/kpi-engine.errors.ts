/** Why a KPI run was refused before computing anything. Values are stable: they label CLI, API and job errors. */
export enum KpiEngineErrorCode {
  /** The tenant is not in the registry. */
  UnknownTenant = 'unknown_tenant',
  /** A date is not a real YYYY-MM-DD date. */
  InvalidDate = 'invalid_date',
  /** `to` is before `from`, or the period is longer than the engine accepts in one run. */
  InvalidPeriod = 'invalid_period',
  /** A requested KPI id is neither a catalogue id (B1) nor an output id (B1.consumption_kwh) the engine computes. */
  UnknownKpi = 'unknown_kpi',
}

function describe(code: KpiEngineErrorCode): string {
  switch (code) {
    case KpiEngineErrorCode.UnknownTenant:
      return 'unknown tenant';
    case KpiEngineErrorCode.InvalidDate:
      return 'invalid date';
    case KpiEngineErrorCode.InvalidPeriod:
      return 'invalid period';
    case KpiEngineErrorCode.UnknownKpi:
      return 'unknown KPI';
  }
}

/** A KPI run that cannot start; `detail` says what to change. */
export class KpiEngineError extends Error {
  override readonly name = 'KpiEngineError';

  constructor(
    readonly code: KpiEngineErrorCode,
    readonly detail: string,
  ) {
    super(`${describe(code)}: ${detail}`);
  }
}
