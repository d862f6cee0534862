/** Why a KPI calculator refused its inputs. Values are stable: they label job failures and API errors. */
export enum KpiErrorCode {
  /** No sample, interval or bin to compute from. */
  EmptyInput = 'empty_input',
  /** Samples are not sorted by timestamp. */
  UnsortedInput = 'unsorted_input',
  /** A value or timestamp is NaN or infinite. */
  NonFiniteValue = 'non_finite_value',
  /** A ratio's denominator is zero (no energy, no volume, no network length…). */
  ZeroDenominator = 'zero_denominator',
  /** A parameter is outside its domain (negative length, percentile > 100, Tn > Tx…). */
  InvalidParameter = 'invalid_parameter',
  /** The IANA time zone is not known to the runtime. */
  InvalidTimeZone = 'invalid_time_zone',
}

export const ALL_KPI_ERROR_CODES: readonly KpiErrorCode[] = Object.values(KpiErrorCode);

/** One sentence per code, for operators and API clients. */
export function describeKpiErrorCode(code: KpiErrorCode): string {
  switch (code) {
    case KpiErrorCode.EmptyInput:
      return 'there is no input to compute the KPI from';
    case KpiErrorCode.UnsortedInput:
      return 'the samples are not sorted by timestamp';
    case KpiErrorCode.NonFiniteValue:
      return 'an input value or timestamp is NaN or infinite';
    case KpiErrorCode.ZeroDenominator:
      return "the KPI's denominator is zero";
    case KpiErrorCode.InvalidParameter:
      return 'a parameter is outside its valid range';
    case KpiErrorCode.InvalidTimeZone:
      return 'the time zone is not a known IANA time zone';
  }
}

/** A KPI that cannot be computed from the inputs given. `detail` says which input and why. */
export class KpiError extends Error {
  override readonly name = 'KpiError';

  constructor(
    readonly code: KpiErrorCode,
    readonly detail: string,
  ) {
    super(`${describeKpiErrorCode(code)}: ${detail}`);
  }
}
