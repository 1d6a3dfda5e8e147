-- SRP verifiers (USER_SRP_AUTH). Same in both backends: one nullable text column. The value
-- is "salt_hex:verifier_hex" sealed with the master key (secretbox `v1:...`, bound to the pool
-- and user), so a copied or altered value does not open. NULL: the user has no password, or it
-- was set before this migration (such users sign in with SRP only after their next password
-- change; USER_PASSWORD_AUTH still works).
ALTER TABLE users ADD COLUMN srp_verifier TEXT;
