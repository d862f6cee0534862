export enum RegistryErrorCode {
  InvalidId = 'invalid_id',
  TenantExists = 'tenant_exists',
  TenantNotFound = 'tenant_not_found',
  SiteExists = 'site_exists',
  SiteNotFound = 'site_not_found',
  DeviceExists = 'device_exists',
  DeviceNotFound = 'device_not_found',
  UnknownKind = 'unknown_kind',
  InvalidInterval = 'invalid_interval',
  AccountExists = 'account_exists',
  AccountNotFound = 'account_not_found',
  InvalidAcl = 'invalid_acl',
  InvalidLorawan = 'invalid_lorawan',
  InvalidTimeZone = 'invalid_time_zone',
  InvalidAttributes = 'invalid_attributes',
  InvalidLocation = 'invalid_location',
}

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    detail: string,
  ) {
    super(detail);
    this.name = 'RegistryError';
  }
}
