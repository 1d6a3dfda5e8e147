-- Indexes for the sweep (the scheduled deletion of rows no request can use any more; see
-- src/sweep.rs). Same in both backends. Each sweep statement picks its rows through one of these
-- rather than scanning the table; auth_sessions_by_expiry (0002) serves challenge sessions.
-- Partial indexes hold only the rows that can ever be swept by that column: few refresh tokens
-- are rotated, and devices are unconfirmed only until ConfirmDevice.
CREATE INDEX codes_by_expiry ON codes (expires_ms);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_ms);
CREATE INDEX refresh_tokens_by_rotation ON refresh_tokens (rotated_ms) WHERE rotated_ms IS NOT NULL;
CREATE INDEX devices_unconfirmed_by_age ON devices (created_ms) WHERE verifier IS NULL;
