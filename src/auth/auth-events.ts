// Events the auth domain publishes (docs/events.md). Payloads are ids and facts.
export type AuthEvents = {
  UserCreated: { tenantId: string; userId: string };
  UserUpdated: { tenantId: string; userId: string };
  UserDisabled: { tenantId: string; userId: string };
  UserEnabled: { tenantId: string; userId: string };
  TeamCreated: { tenantId: string; teamId: string };
  TeamUpdated: { tenantId: string; teamId: string };
  TeamDeleted: { tenantId: string; teamId: string };
  /** A login session ended (logout or expiry); live connections on it must close. */
  SessionEnded: { tenantId: string; userId: string; sessionId: string };
  /** Every session of a user ended at once (user disabled); live connections of the user must close. */
  UserSessionsEnded: { tenantId: string; userId: string };
};
