"""The AWS CLI (v1, from PyPI) against the server, configured only through the standard
environment variables and the credentials file the server wrote."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import unique

AWS = Path(sys.executable).with_name("aws")


def aws(server, *args, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_SHARED_CREDENTIALS_FILE=str(server.credentials_file),
        AWS_CONFIG_FILE=os.devnull,
        AWS_PROFILE="cognate",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_MAX_ATTEMPTS="1",
    )
    proc = subprocess.run(
        [str(AWS), "--endpoint-url", server.endpoint, "--output", "json", "cognito-idp", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc


@pytest.fixture(scope="module", autouse=True)
def _cli_installed():
    if not AWS.exists():
        pytest.fail(f"the AWS CLI is not installed next to {sys.executable}")


def test_cli_creates_describes_lists_and_deletes_a_pool(server):
    name = unique("cli-")
    pool = aws(server, "create-user-pool", "--pool-name", name)["UserPool"]
    assert pool["Name"] == name
    described = aws(server, "describe-user-pool", "--user-pool-id", pool["Id"])["UserPool"]
    assert described["Id"] == pool["Id"]
    # Follow NextToken page by page: the server may hold more pools than one page.
    listed, token = [], None
    while True:
        page = aws(server, "list-user-pools", "--max-results", "60", "--no-paginate",
                   *(["--next-token", token] if token else []))
        listed += [p["Id"] for p in page["UserPools"]]
        token = page.get("NextToken")
        if not token:
            break
    assert pool["Id"] in listed
    aws(server, "delete-user-pool", "--user-pool-id", pool["Id"])


def test_cli_reports_service_errors(server):
    proc = aws(server, "describe-user-pool", "--user-pool-id", "us-east-1_doesNotEx", check=False)
    assert proc.returncode == 255, proc.stderr  # AWS CLI v1: 255 for a service error
    assert "ResourceNotFoundException" in proc.stderr


def test_cli_with_wrong_keys_is_refused(server, tmp_path):
    creds = tmp_path / "credentials"
    creds.write_text("[cognate]\naws_access_key_id = AKIAUNKNOWNUNKNOWN00\naws_secret_access_key = " + "z" * 40 + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_SHARED_CREDENTIALS_FILE=str(creds), AWS_CONFIG_FILE=os.devnull, AWS_PROFILE="cognate",
               AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1")
    proc = subprocess.run(
        [str(AWS), "--endpoint-url", server.endpoint, "cognito-idp", "list-user-pools", "--max-results", "1"],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120,
    )
    assert proc.returncode == 255
    assert "UnrecognizedClientException" in proc.stderr


def test_cli_admin_create_and_list_users(server):
    pool = aws(server, "create-user-pool", "--pool-name", unique("cli-users-"))["UserPool"]["Id"]
    try:
        user = aws(
            server, "admin-create-user", "--user-pool-id", pool, "--username", "alice",
            "--user-attributes", "Name=email,Value=alice@example.com",
            "--temporary-password", "Temp-Passw0rd!", "--message-action", "SUPPRESS",
        )["User"]
        assert user["Username"] == "alice"
        users = aws(server, "list-users", "--user-pool-id", pool, "--filter", 'email = "alice@example.com"')["Users"]
        assert [u["Username"] for u in users] == ["alice"]
    finally:
        aws(server, "delete-user-pool", "--user-pool-id", pool)
