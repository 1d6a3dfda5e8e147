-- Refresh-token rotation (GetTokensFromRefreshToken on clients with RefreshTokenRotation
-- ENABLED): when a token is exchanged for a new one, the old one is marked rotated and stays
-- usable only for the client's RetryGracePeriodSeconds after that moment. NULL: never rotated.
ALTER TABLE refresh_tokens ADD COLUMN rotated_ms INTEGER;
