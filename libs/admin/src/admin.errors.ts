/** Why the service layer refused a request (beside the registry's own RegistryError). */
export enum AdminErrorCode {
  /** A devices import with problems: nothing was imported; `problems` names each line. */
  ImportRefused = 'import_refused',
  InvalidSiteAttributes = 'invalid_site_attributes',
  ApiKeyNotFound = 'api_key_not_found',
  /** A key may not give a role above its own, nor act outside its tenant. */
  RoleNotAssignable = 'role_not_assignable',
  InvalidExpiry = 'invalid_expiry',
}

export class AdminError extends Error {
  override readonly name = 'AdminError';

  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** For an import: one problem per entry, each naming its line. For the others, the field at fault. */
    readonly problems: readonly string[] = [],
    readonly field?: string,
  ) {
    super(message);
  }
}
