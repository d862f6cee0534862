/** Why an export or an import stopped. Values are stable: they label CLI errors. */
export enum ExportErrorCode {
  /** The tenant to export is not in the registry. */
  UnknownTenant = 'unknown_tenant',
  /** A `--from` / `--to` date is not a real YYYY-MM-DD date, or `--to` is before `--from`. */
  InvalidPeriod = 'invalid_period',
  /** The output directory exists and is not empty. */
  OutputExists = 'output_exists',
  /** The archive (datapackage.json or one of its files) is not what `vigie export` writes. */
  InvalidArchive = 'invalid_archive',
  /** The archive's tenant already exists here (in the registry, or with data in InfluxDB). */
  TenantExists = 'tenant_exists',
}

function describe(code: ExportErrorCode): string {
  switch (code) {
    case ExportErrorCode.UnknownTenant:
      return 'unknown tenant';
    case ExportErrorCode.InvalidPeriod:
      return 'invalid period';
    case ExportErrorCode.OutputExists:
      return 'output exists';
    case ExportErrorCode.InvalidArchive:
      return 'invalid archive';
    case ExportErrorCode.TenantExists:
      return 'tenant exists';
  }
}

/** An export or import that cannot go on; `detail` says what to change, `problems` lists file:line findings. */
export class ExportError extends Error {
  override readonly name = 'ExportError';

  constructor(
    readonly code: ExportErrorCode,
    readonly detail: string,
    readonly problems: readonly string[] = [],
  ) {
    super(`${describe(code)}: ${detail}${problems.length ? `\n  ${problems.join('\n  ')}` : ''}`);
  }
}
