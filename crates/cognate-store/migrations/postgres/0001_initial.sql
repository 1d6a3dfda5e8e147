-- Cognate schema, PostgreSQL flavour. Keep in step with ../sqlite/0001_initial.sql: same tables,
-- columns, keys and indexes; only the type names differ (times and flags are BIGINT here).
-- Times are epoch milliseconds. JSON documents are TEXT. Every text column uses the "C"
-- collation so that comparisons and ORDER BY agree bytewise with SQLite's BINARY collation
-- (keyset pagination depends on it).

CREATE TABLE user_pools (
    id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    arn         TEXT COLLATE "C" NOT NULL,
    created_ms  BIGINT           NOT NULL,
    modified_ms BIGINT           NOT NULL,
    settings    TEXT COLLATE "C" NOT NULL,
    mfa         TEXT COLLATE "C" NOT NULL
);

CREATE TABLE user_pool_clients (
    pool_id     TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id   TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    secret      TEXT COLLATE "C",
    created_ms  BIGINT           NOT NULL,
    modified_ms BIGINT           NOT NULL,
    settings    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, client_id)
);

CREATE TABLE users (
    pool_id                       TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key                  TEXT COLLATE "C" NOT NULL,
    username                      TEXT COLLATE "C" NOT NULL,
    sub                           TEXT COLLATE "C" NOT NULL,
    status                        TEXT COLLATE "C" NOT NULL,
    enabled                       BIGINT           NOT NULL,
    password_hash                 TEXT COLLATE "C",
    temporary_password_expires_ms BIGINT,
    created_ms                    BIGINT           NOT NULL,
    modified_ms                   BIGINT           NOT NULL,
    version                       BIGINT           NOT NULL,
    attributes                    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, username_key),
    UNIQUE (pool_id, sub)
);

CREATE INDEX users_by_status ON users (pool_id, status, username_key);

-- One row per attribute of users.attributes, written in the same transaction, for look-ups
-- by value. value_head is the first 100 characters of value: the index holds it rather than
-- value, which can be longer than a B-tree entry may be (about 2,700 bytes).
CREATE TABLE user_attributes (
    pool_id      TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    value_head   TEXT COLLATE "C" NOT NULL,
    value        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, username_key, name),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

CREATE INDEX user_attributes_by_value ON user_attributes (pool_id, name, value_head);

CREATE TABLE user_groups (
    pool_id     TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C",
    role_arn    TEXT COLLATE "C",
    precedence  BIGINT,
    created_ms  BIGINT           NOT NULL,
    modified_ms BIGINT           NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id      TEXT COLLATE "C" NOT NULL,
    group_name   TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

CREATE INDEX group_members_by_user ON group_members (pool_id, username_key, group_name);

CREATE TABLE pool_domains (
    domain                TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id               TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    certificate_arn       TEXT COLLATE "C",
    managed_login_version BIGINT,
    created_ms            BIGINT           NOT NULL
);

CREATE INDEX pool_domains_by_pool ON pool_domains (pool_id, domain);
