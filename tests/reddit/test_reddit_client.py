"""Credentials from praw.ini sites, praw_* env vars or Colab secrets; a user agent Reddit accepts; no secret shown.
PRAW runs for real against the loopback server in helpers.offline.fake_reddit."""

import sys
import types

import prawcore
import pytest

from helpers.errors import ConfigError
from helpers.offline import fake_reddit
from helpers.reddit import client as reddit_client


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    for k in reddit_client.CREDENTIAL_KEYS + ("site",):
        monkeypatch.delenv(f"praw_{k}", raising=False)


def test_user_agent_follows_reddit_rules():
    ua = reddit_client.user_agent("some_owner")
    plat, app, rest = ua.split(":", 2)
    assert plat and app == "reddit-gpt2-bert-bot" and rest.endswith(" (by /u/some_owner)")


def test_praw_ini_site_reaches_loopback_server_and_hides_secrets(server, tmp_path):
    ini = server.praw_ini(tmp_path / "praw.ini", site="bot")
    reddit, source = reddit_client.make_reddit("bot", ini)
    assert str(reddit.user.me()) == server.state.bot_username
    shown = repr(reddit_client.describe(reddit)) + source
    assert "loopback-secret" not in shown and "loopback-password" not in shown
    assert server.state.requests[0].path == "/api/v1/access_token"
    assert all("password" not in r.params for r in server.state.requests)


def test_unknown_site_names_the_parameter(server, tmp_path):
    ini = server.praw_ini(tmp_path / "praw.ini", site="bot")
    with pytest.raises(ConfigError, match="praw_site 'other'"):
        reddit_client.make_reddit("other", ini)


def test_env_variables(server, monkeypatch):
    monkeypatch.setenv("praw_client_id", "env-id")
    monkeypatch.setenv("praw_client_secret", "env-secret")
    monkeypatch.setenv("praw_username", server.state.bot_username)
    monkeypatch.setenv("praw_password", "env-password")
    reddit, source = reddit_client.make_reddit("no_such_site_here", oauth_url=server.url, reddit_url=server.url)
    assert source == "praw_* environment variables"
    assert str(reddit.user.me()) == server.state.bot_username


def test_colab_secrets(server, monkeypatch):
    secrets = {"praw_client_id": "colab-id", "praw_client_secret": "colab-secret",
               "praw_username": server.state.bot_username, "praw_password": "colab-pw"}
    userdata = types.SimpleNamespace(get=lambda k: secrets[k])
    colab = types.ModuleType("google.colab")
    colab.userdata = userdata
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.userdata", userdata)
    reddit, source = reddit_client.make_reddit("no_such_site_here", oauth_url=server.url, reddit_url=server.url)
    assert source == "Colab secrets"
    assert str(reddit.user.me()) == server.state.bot_username


def test_colab_secrets_not_granted_fall_through_to_a_clear_error(monkeypatch):
    class SecretNotFoundError(Exception):
        pass

    def get(key):
        raise SecretNotFoundError(key)

    userdata = types.SimpleNamespace(get=get, SecretNotFoundError=SecretNotFoundError)
    colab = types.ModuleType("google.colab")
    colab.userdata = userdata
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.userdata", userdata)
    with pytest.raises(ConfigError, match="Colab secrets"):
        reddit_client.resolve_settings("no_such_site_here")


def test_no_credentials_says_what_to_set():
    with pytest.raises(ConfigError, match="praw_client_id"):
        reddit_client.resolve_settings("no_such_site_here")


def test_fault_429_carries_retry_after(server, tmp_path, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    reddit, _ = reddit_client.make_reddit("recorded", server.praw_ini(tmp_path / "praw.ini"))
    server.state.faults.append(fake_reddit.Fault("/r/gardening/rising", status=429, retry_after_s=7))
    with pytest.raises(prawcore.TooManyRequests) as e:
        list(reddit.subreddit("gardening").rising(limit=2))
    assert e.value.response.headers["Retry-After"] == "7"
    assert len(list(reddit.subreddit("gardening").rising(limit=2))) == 2


def test_site_found_where_praw_looks(server, tmp_path, monkeypatch):
    from praw.config import Config

    server.praw_ini(tmp_path / "praw.ini", site="bot")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Config, "CONFIG", None)  # PRAW reads praw.ini files once per process
    reddit, source = reddit_client.make_reddit("bot")
    assert source == "praw.ini [bot]" and str(reddit.user.me()) == server.state.bot_username


def test_connect_recorded_and_unknown_mode():
    client, source, srv = reddit_client.connect("recorded")
    try:
        assert source.startswith("recorded threads served at http://127.0.0.1:")
        assert [s.id for s in client.subreddit("boardgames").rising(limit=5)] == ["p301", "p302"]
    finally:
        srv.stop()
    with pytest.raises(ConfigError, match="'recorded'.*'live'"):
        reddit_client.connect("offline")


BAD_INIS = {  # each holds a secret on a line configparser cannot read; its parse error used to quote that line
    "no_equals": "[bot]\nclient_id = abc\npassword MALPASS\n",
    "no_section": "password MALPASS\n[bot]\nclient_id = abc\n",
    "duplicate": "[bot]\npassword = a\npassword = MALPASS\n",
}


@pytest.mark.parametrize("name", sorted(BAD_INIS))
def test_praw_ini_errors_name_file_and_line_never_the_text(tmp_path, name):
    """Issue 10, case 9."""
    ini = tmp_path / "praw.ini"
    ini.write_text(BAD_INIS[name])
    with pytest.raises(ConfigError) as e:
        reddit_client.ini_site(ini, "bot")
    msg = str(e.value)
    line = 1 if name == "no_section" else 3
    assert str(ini) in msg and f"line {line}" in msg
    assert "MALPASS" not in msg and e.value.__cause__ is None and e.value.__suppress_context__


@pytest.mark.slow
def test_a_bad_praw_ini_keeps_its_secret_out_of_the_executed_notebook(tmp_path):
    """07 run for real with reddit=live and a broken praw.ini: the error names the file and line, and MALPASS appears
    nowhere on Drive or on the console."""
    import subprocess
    from pathlib import Path

    ini = tmp_path / "praw.ini"
    ini.write_text(BAD_INIS["no_equals"])
    drive = tmp_path / "d"
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-m", "helpers", "run", "07", "--drive", str(drive), "-p", "reddit=live",
                        "-p", f"praw_ini={ini}"], cwd=root, capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and f"{ini}, line 3" in r.stderr, r.stderr[-2000:]
    assert "MALPASS" not in r.stdout + r.stderr
    written = [p for p in drive.rglob("*") if p.is_file()]
    assert any(p.suffix == ".ipynb" for p in written)
    for p in written:
        assert b"MALPASS" not in p.read_bytes(), p


def test_recorded_connect_leaves_no_temporary_folder(tmp_path, monkeypatch):
    """Issue 10, case 10: the praw_recorded_* folder holding the loopback praw.ini is removed once PRAW has read it."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client, source, srv = reddit_client.connect("recorded")
    try:
        assert str(client.user.me())
        assert list(tmp_path.glob("praw_recorded_*")) == []
    finally:
        srv.stop()
