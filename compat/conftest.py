"""Fixtures of the compatibility suite: one real `cognate` server for the whole session, and
clients that reach it the way an application would.

The server is the binary cargo built (`target/debug/cognate`, or `$COGNATE_BIN`), started on a
free loopback port with a fresh data directory, so it writes its own admin credentials to
`{data-dir}/credentials` (profile `cognate`) and the clients sign with those. With
`COMPAT_DATABASE_URL` set the server stores in that database instead of SQLite. It runs with
`--outbox`: SigV4 stays enforced, and `GET /_dev/outbox` lists the messages it sent (the
`outbox` fixture reads it), so tests read verification codes as a user reads their mail.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"


@dataclass
class Server:
    endpoint: str
    data_dir: Path
    access_key_id: str
    secret_access_key: str

    @property
    def credentials_file(self) -> Path:
        return self.data_dir / "credentials"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary() -> Path:
    path = Path(os.environ.get("COGNATE_BIN", ROOT / "target" / "debug" / "cognate"))
    if not path.exists():
        pytest.exit(f"{path} does not exist: run `cargo build -p cognate` first", returncode=2)
    return path


def _wait_ready(endpoint: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"cognate exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{endpoint}/health/ready", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"cognate was not ready within 60 s:\n{log.read_text()}")


def _read_credentials(path: Path) -> tuple[str, str]:
    parser = configparser.ConfigParser()
    parser.read(path)
    section = parser["cognate"]
    return section["aws_access_key_id"], section["aws_secret_access_key"]


@pytest.fixture(scope="session")
def server():
    tmp = Path(tempfile.mkdtemp(prefix="cognate-compat-"))
    data_dir = tmp / "data"
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    cmd = [str(_binary()), "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", str(data_dir), "--outbox"]
    if os.environ.get("COMPAT_DATABASE_URL"):
        cmd += ["--database-url", os.environ["COMPAT_DATABASE_URL"]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COGNATE_")}
    env.setdefault("RUST_LOG", "info")
    log = tmp / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    try:
        _wait_ready(endpoint, proc, log)
        key, secret = _read_credentials(data_dir / "credentials")
        yield Server(endpoint, data_dir, key, secret)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        if os.environ.get("COMPAT_KEEP_LOG"):
            print(log.read_text())
        shutil.rmtree(tmp, ignore_errors=True)


# Fail fast: a retried error only hides what the server answered.
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


def make_client(server: Server, access_key_id: str | None = None, secret: str | None = None, config: Config | None = None):
    return boto3.session.Session().client(
        "cognito-idp",
        endpoint_url=server.endpoint,
        region_name=REGION,
        aws_access_key_id=access_key_id or server.access_key_id,
        aws_secret_access_key=secret or server.secret_access_key,
        config=NO_RETRIES.merge(config) if config else NO_RETRIES,
    )


@pytest.fixture(scope="session")
def outbox(server):
    """`outbox()` is the list of messages the server has sent so far, oldest first, each a dict
    with pool_id, username, channel ("email"/"sms"), recipient, subject, body, reason (Cognito's
    trigger source, e.g. "SignUp", "ForgotPassword") and sent_at_ms."""

    def read() -> list[dict]:
        with urllib.request.urlopen(f"{server.endpoint}/_dev/outbox", timeout=10) as resp:
            assert resp.status == 200, resp.status
            return json.load(resp)

    return read


@pytest.fixture(scope="session")
def client(server):
    return make_client(server)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


@pytest.fixture
def pool(client):
    """A fresh user pool, deleted (with whatever domain it got) after the test."""
    resp = client.create_user_pool(PoolName=unique("compat-"))
    pool_id = resp["UserPool"]["Id"]
    yield pool_id
    try:
        domain = client.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("Domain")
        if domain:
            client.delete_user_pool_domain(Domain=domain, UserPoolId=pool_id)
        client.delete_user_pool(UserPoolId=pool_id)
    except client.exceptions.ClientError:
        pass
