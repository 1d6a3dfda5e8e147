-- Remembered devices, PostgreSQL flavour. Keep in step with ../sqlite/0004_devices.sql: same
-- table, columns, keys and indexes; only the type names differ. Times are epoch milliseconds.
-- Every text column uses the "C" collation, as in 0001.
--
-- A device belongs to its user and goes with the user (and so with the pool). It is inserted
-- unconfirmed (verifier NULL) by a sign-in that answers NewDeviceMetadata, and confirmed by
-- ConfirmDevice, which writes its verifier: "salt_hex:verifier_hex" sealed with the master key
-- (secretbox `v1:...`, bound to the pool and the device key), as users.srp_verifier is.
CREATE TABLE devices (
    pool_id               TEXT COLLATE "C" NOT NULL,
    device_key            TEXT COLLATE "C" NOT NULL,
    username_key          TEXT COLLATE "C" NOT NULL,
    device_group_key      TEXT COLLATE "C" NOT NULL,
    verifier              TEXT COLLATE "C",
    name                  TEXT COLLATE "C",
    status                TEXT COLLATE "C",
    last_ip               TEXT COLLATE "C",
    created_ms            BIGINT           NOT NULL,
    modified_ms           BIGINT           NOT NULL,
    last_authenticated_ms BIGINT,
    PRIMARY KEY (pool_id, device_key),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);

-- A user's devices in key order (ListDevices), and the cascade from users.
CREATE INDEX devices_by_user ON devices (pool_id, username_key, device_key);
