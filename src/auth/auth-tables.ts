export interface AuthTables {
  auth_user: {
    id: string; tenant_id: string; username: string; display_name: string; email: string | null;
    password_hash: string; roles: string; disabled: number; totp_secret: string | null; totp_enabled: number;
    totp_last_step: number | null; created_at: string; updated_at: string;
  };
  auth_team: { id: string; tenant_id: string; name: string; description: string | null; created_at: string; updated_at: string };
  auth_team_member: { tenant_id: string; team_id: string; user_id: string };
  auth_session: { id: string; tenant_id: string; user_id: string; created_at: string; expires_at: string; ip: string | null };
  auth_api_token: {
    id: string; tenant_id: string; name: string; token_hash: string; permissions: string; created_by: string;
    created_at: string; last_used_at: string | null; revoked_at: string | null;
  };
}
