-- Remembered devices, SQLite flavour. Keep in step with ../postgres/0004_devices.sql: same
-- table, columns, keys and indexes; only the type names differ. Times are epoch milliseconds.
--
-- A device belongs to its user and goes with the user (and so with the pool). It is inserted
-- unconfirmed (verifier NULL) by a sign-in that answers NewDeviceMetadata, and confirmed by
-- ConfirmDevice, which writes its verifier: "salt_hex:verifier_hex" sealed with the master key
-- (secretbox `v1:...`, bound to the pool and the device key), as users.srp_verifier is.
CREATE TABLE devices (
    pool_id               TEXT    NOT NULL,
    device_key            TEXT    NOT NULL,
    username_key          TEXT    NOT NULL,
    device_group_key      TEXT    NOT NULL,
    verifier              TEXT,
    name                  TEXT,
    status                TEXT,
    last_ip               TEXT,
    created_ms            INTEGER NOT NULL,
    modified_ms           INTEGER NOT NULL,
    last_authenticated_ms INTEGER,
    PRIMARY KEY (pool_id, device_key),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

-- A user's devices in key order (ListDevices), and the cascade from users.
CREATE INDEX devices_by_user ON devices (pool_id, username_key, device_key);
