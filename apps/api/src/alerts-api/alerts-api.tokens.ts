/** The AlertAdmin (libs/alerts) behind the alerts REST endpoints. */
export const ALERT_ADMIN = Symbol('AlertAdmin');
