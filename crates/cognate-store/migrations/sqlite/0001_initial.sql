-- Cognate schema, SQLite flavour. Keep in step with ../postgres/0001_initial.sql: same tables,
-- columns, keys and indexes; only the type names differ (times and flags are INTEGER here).
-- Times are epoch milliseconds. JSON documents are TEXT. Text compares bytewise (BINARY).

CREATE TABLE user_pools (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    arn         TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    settings    TEXT    NOT NULL,
    mfa         TEXT    NOT NULL
);

CREATE TABLE user_pool_clients (
    pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id   TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    secret      TEXT,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    settings    TEXT    NOT NULL,
    PRIMARY KEY (pool_id, client_id)
);

CREATE TABLE users (
    pool_id                       TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key                  TEXT    NOT NULL,
    username                      TEXT    NOT NULL,
    sub                           TEXT    NOT NULL,
    status                        TEXT    NOT NULL,
    enabled                       INTEGER NOT NULL,
    password_hash                 TEXT,
    temporary_password_expires_ms INTEGER,
    created_ms                    INTEGER NOT NULL,
    modified_ms                   INTEGER NOT NULL,
    version                       INTEGER NOT NULL,
    attributes                    TEXT    NOT NULL,
    PRIMARY KEY (pool_id, username_key),
    UNIQUE (pool_id, sub)
);

CREATE INDEX users_by_status ON users (pool_id, status, username_key);

-- One row per attribute of users.attributes, written in the same transaction, for look-ups
-- by value. value_head is the first 100 characters of value: the index holds it rather than
-- value, which can be longer than PostgreSQL lets a B-tree entry be. (A rowid table on
-- purpose: WITHOUT ROWID leads SQLite's planner to scan the whole pool's rows by primary key
-- for `value_head = ? AND value = ?` instead of using user_attributes_by_value.)
CREATE TABLE user_attributes (
    pool_id      TEXT NOT NULL,
    username_key TEXT NOT NULL,
    name         TEXT NOT NULL,
    value_head   TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (pool_id, username_key, name),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

CREATE INDEX user_attributes_by_value ON user_attributes (pool_id, name, value_head);

CREATE TABLE user_groups (
    pool_id     TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT,
    role_arn    TEXT,
    precedence  INTEGER,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id      TEXT NOT NULL,
    group_name   TEXT NOT NULL,
    username_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE INDEX group_members_by_user ON group_members (pool_id, username_key, group_name);

CREATE TABLE pool_domains (
    domain                TEXT    NOT NULL PRIMARY KEY,
    pool_id               TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    certificate_arn       TEXT,
    managed_login_version INTEGER,
    created_ms            INTEGER NOT NULL
);

CREATE INDEX pool_domains_by_pool ON pool_domains (pool_id, domain);
