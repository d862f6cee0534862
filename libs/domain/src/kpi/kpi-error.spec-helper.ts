import { KpiError, KpiErrorCode } from './kpi.errors';

/** For tests: the code of the KpiError `fn` throws, 'no error', or 'not a KpiError'. */
export function kpiErrorCodeOf(fn: () => unknown): KpiErrorCode | 'no error' | 'not a KpiError' {
  try {
    fn();
  } catch (e) {
    return e instanceof KpiError ? e.code : 'not a KpiError';
  }
  return 'no error';
}
