-- Sign-in state, SQLite flavour. Keep in step with ../postgres/0002_auth_state.sql: same
-- tables, columns, keys and indexes; only the type names differ. Times are epoch milliseconds.
--
-- What goes when: everything here goes with its pool. Codes, refresh tokens and failure
-- counters belong to a user and go with the user (the pool's deletion reaches them through
-- users). Challenge sessions name a user but do not reference it: a sign-in may be challenged
-- for a user that does not exist (so as not to reveal which users do). Activity rows outlive
-- their user, for the monthly-active-user count.

-- RSA signing keys: the newest of each use signs; older ones stay published until
-- retire_after_ms.
CREATE TABLE signing_keys (
    pool_id         TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    kid             TEXT    NOT NULL,
    use_for         TEXT    NOT NULL,
    private_pem     TEXT    NOT NULL,
    created_ms      INTEGER NOT NULL,
    retire_after_ms INTEGER,
    PRIMARY KEY (pool_id, kid)
);

-- One-time codes, one per (pool, user, purpose), stored as hashes.
CREATE TABLE codes (
    pool_id      TEXT    NOT NULL,
    username_key TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    code_hash    TEXT    NOT NULL,
    created_ms   INTEGER NOT NULL,
    expires_ms   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    PRIMARY KEY (pool_id, username_key, purpose),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

-- The state between two steps of a sign-in, by the hash of its random id. (No index on
-- pool_id: the table holds only live sessions, and a pool's deletion may scan it.)
CREATE TABLE auth_sessions (
    id_hash      TEXT    NOT NULL PRIMARY KEY,
    pool_id      TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id    TEXT    NOT NULL,
    username_key TEXT    NOT NULL,
    challenge    TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    expires_ms   INTEGER NOT NULL
);

CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_ms);

-- Refresh tokens, by the hash of their value. Revocation marks a token rather than deleting it.
CREATE TABLE refresh_tokens (
    token_hash   TEXT    NOT NULL PRIMARY KEY,
    pool_id      TEXT    NOT NULL,
    client_id    TEXT    NOT NULL,
    username_key TEXT    NOT NULL,
    sub          TEXT    NOT NULL,
    origin_jti   TEXT    NOT NULL,
    device_key   TEXT,
    auth_time    INTEGER NOT NULL,
    issued_ms    INTEGER NOT NULL,
    expires_ms   INTEGER NOT NULL,
    revoked_ms   INTEGER,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

CREATE INDEX refresh_tokens_by_origin ON refresh_tokens (pool_id, origin_jti);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, username_key);

-- Failed sign-ins of a user, for the growing lockout.
CREATE TABLE sign_in_failures (
    pool_id         TEXT    NOT NULL,
    username_key    TEXT    NOT NULL,
    failures        INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL,
    PRIMARY KEY (pool_id, username_key),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

-- Who was active in which month (YYYY-MM), for monthly-active-user counts. By sub, not by
-- user: the rows stay when the user is deleted.
CREATE TABLE user_activity (
    pool_id TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    month   TEXT NOT NULL,
    sub     TEXT NOT NULL,
    PRIMARY KEY (pool_id, month, sub)
) WITHOUT ROWID;

CREATE INDEX user_activity_by_month ON user_activity (month, pool_id);

-- Public actions (sign-in, sign-up) name only the app client: find it by id alone.
CREATE INDEX user_pool_clients_by_client_id ON user_pool_clients (client_id);
