"""Build praw.Reddit without a secret ever appearing in a notebook, an output or a log.

Credentials come, in this order, from: an explicit praw.ini file (``praw_ini``, e.g. the offline demo's), a site in
the praw.ini files PRAW itself finds (``praw_site``, default "bot"), ``praw_*`` environment variables, or Colab
secrets (``google.colab.userdata``: praw_client_id, praw_client_secret, praw_username, praw_password).
"""

from __future__ import annotations

import configparser
import os
import platform
from pathlib import Path
from typing import Any

from .. import __version__
from ..contract import default
from ..errors import ConfigError

APP_ID = "reddit-gpt2-bert-bot"
CREDENTIAL_KEYS = ("client_id", "client_secret", "username", "password")
SECRET_KEYS = ("client_secret", "password", "refresh_token")


def user_agent(username: str | None = None, app_id: str = APP_ID, version: str = __version__) -> str:
    """Reddit's API rules ask for "<platform>:<app ID>:<version string> (by /u/<reddit username>)"."""
    plat = platform.system().lower() or "python"
    return f"{plat}:{app_id}:{version}" + (f" (by /u/{username})" if username else "")


def ini_site(path: str | Path, site: str) -> dict[str, str]:
    """One site of a praw.ini file as a dict (DEFAULT values included)."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"praw_ini {path} does not exist")
    cp = configparser.ConfigParser(interpolation=None)
    try:
        cp.read(path, encoding="utf-8")
    except configparser.Error as e:
        raise ConfigError(ini_error(e, path)) from None
    if not cp.has_section(site):
        raise ConfigError(f"praw_site {site!r} is not a section of {path}; sections: {cp.sections()}")
    return dict(cp.items(site))


def ini_error(e: configparser.Error, path: str | Path | None = None) -> str:
    """configparser's error without the offending line's text, which may be a password: file and line number only."""
    source = getattr(e, "source", None) or path or "praw.ini"
    hidden = "(the text is not shown: it may hold a secret)"
    if isinstance(e, configparser.ParsingError) and getattr(e, "errors", None):
        lines = ", ".join(str(n) for n, _ in e.errors)
        where = f"line {lines}" if len(e.errors) == 1 else f"lines {lines}"
        return f"{source}, {where}: not a `key = value` line or a [section] header {hidden}"
    lineno = getattr(e, "lineno", None)
    what = {configparser.MissingSectionHeaderError: "a setting before the first [section] header",
            configparser.DuplicateOptionError: "a setting given twice in one section",
            configparser.DuplicateSectionError: "a [section] given twice"}.get(type(e), type(e).__name__)
    return f"{source}" + (f", line {lineno}" if lineno else "") + f": {what} {hidden}"


def _praw_found_site(site: str) -> dict[str, str] | None:
    """The site from the praw.ini files PRAW would read (cwd, user config dir, package), or None."""
    from praw.config import Config

    if Config.CONFIG is None:
        try:
            Config._load_config()  # noqa: SLF001 - PRAW's own discovery of praw.ini locations
        except configparser.Error as e:
            raise ConfigError(ini_error(e) + " (a praw.ini PRAW found itself)") from None
    return dict(Config.CONFIG.items(site)) if Config.CONFIG.has_section(site) else None


def _env_settings() -> dict[str, str]:
    return {k: os.environ[f"praw_{k}"] for k in CREDENTIAL_KEYS if os.environ.get(f"praw_{k}")}


def _colab_settings() -> dict[str, str]:
    try:
        from google.colab import userdata  # only in Colab
    except ImportError:
        return {}
    missing = tuple(getattr(userdata, name) for name in ("SecretNotFoundError", "NotebookAccessError")
                    if isinstance(getattr(userdata, name, None), type))
    got = {}
    for k in CREDENTIAL_KEYS:
        try:
            value = userdata.get(f"praw_{k}")
        except missing:  # this secret is not set, or the notebook was not granted access to it: try the next source
            continue
        if value:
            got[k] = value
    return got


def resolve_settings(praw_site: str = default("praw_site"),
                     praw_ini: str | Path | None = default("praw_ini")) -> tuple[str, dict[str, Any]]:
    """(source, settings) for praw.Reddit; raises ConfigError naming what to set (never the values)."""
    if praw_ini:
        return f"praw.ini {praw_ini} [{praw_site}]", ini_site(praw_ini, praw_site)
    found = _praw_found_site(praw_site)
    if found is not None and found.get("client_id"):
        return f"praw.ini [{praw_site}]", found
    env = _env_settings()
    if env.get("client_id"):
        return "praw_* environment variables", env
    colab = _colab_settings()
    if colab.get("client_id"):
        return "Colab secrets", colab
    raise ConfigError(
        f"no Reddit credentials: add a [{praw_site}] site to praw.ini (parameter praw_site), or set the environment "
        "variables praw_client_id, praw_client_secret, praw_username, praw_password, or add them as Colab secrets"
    )


def make_reddit(praw_site: str = default("praw_site"), praw_ini: str | Path | None = default("praw_ini"),
                **overrides: Any):
    """praw.Reddit from the first credential source found; returns (reddit, source) with source safe to print."""
    import praw

    source, settings = resolve_settings(praw_site, praw_ini)
    settings = {**settings, **overrides}
    settings.setdefault("user_agent", user_agent(settings.get("username")))
    settings.setdefault("check_for_updates", False)
    # site_name DEFAULT: every setting is passed explicitly, so a praw_site env var cannot pick another site.
    reddit = praw.Reddit(site_name="DEFAULT", **settings)
    return reddit, source


POLICY = ("Reddit's Responsible Builder Policy (since November 2025): a new app needs Reddit's approval before it "
          "may use the Data API; request access with Reddit's API access request form (Reddit Help: Developer "
          "Platform & Accessing Reddit Data) and wait for the answer: see README, Going live")


def access_error(e: Exception) -> ConfigError | None:
    """A clear error for a 401/403 (or an OAuth refusal) when the client first talks to Reddit, naming the likely
    causes; None for anything else. The message never holds a credential."""
    import prawcore

    status = getattr(getattr(e, "response", None), "status_code", None)
    if isinstance(e, prawcore.OAuthException):
        return ConfigError(f"Reddit refused the login ({e.error}): the username or password of the bot account is "
                           "wrong, or the account is not the app's developer (a script app logs in as its developer)")
    if status in (401, 403):
        what = "refused the app's credentials (HTTP 401)" if status == 401 else "forbade access (HTTP 403)"
        return ConfigError(f"Reddit {what} when connecting. Likely causes: the app is not approved under {POLICY}; "
                           "or client_id / client_secret are wrong or belong to a deleted app (check praw_site, the "
                           "praw_* variables or the Colab secrets). For training data without approval use the "
                           "arctic_shift source (stage 00)")
    return None


def describe(reddit) -> dict[str, Any]:
    """What a notebook may print about the client: no secret."""
    cfg = reddit.config
    return {"user_agent": cfg.user_agent, "username": cfg.username, "oauth_url": cfg.oauth_url,
            "read_only": reddit.read_only}


def connect(reddit: str = default("reddit"), praw_site: str = default("praw_site"),
            praw_ini: str | Path | None = default("praw_ini"),
            recorded_threads: str | Path | None = None):
    """(reddit, source, server) for a notebook. "recorded": the bundled threads served on 127.0.0.1 and reached
    through a temporary praw.ini site, the same PRAW code path as live Reddit with no credentials; "live": praw_site."""
    if reddit == "recorded":
        import tempfile

        from ..offline import fake_reddit, fake_reddit_inbox

        os.environ.setdefault("PRAW_ALLOW_ENDPOINT_OVERRIDE", "1")  # oauth_url/reddit_url point at the loopback
        server = fake_reddit.serve(recorded_threads or fake_reddit.RECORDED_THREADS,
                                   inbox=fake_reddit_inbox.RECORDED_INBOX)
        with tempfile.TemporaryDirectory(prefix="praw_recorded_") as tmp:  # PRAW keeps the settings, not the file
            ini = server.praw_ini(Path(tmp) / "praw.ini", site="recorded")
            client, source = make_reddit("recorded", ini)
        return client, f"recorded threads served at {server.url} ({source})", server
    if reddit == "live":
        client, source = make_reddit(praw_site, praw_ini or None)
        return client, source, None
    raise ConfigError(f"reddit must be 'recorded' (offline demo) or 'live', not {reddit!r}")


def attach(run) -> str:
    """Connect a stage run (helpers.stage.RedditRun) as its parameters say (reddit, praw_site, praw_ini if it has
    one): sets run.client and run.server; returns where it is connected, for the notebook's first line."""
    run.client, source, run.server = connect(run.p.reddit, run.p.praw_site, getattr(run.p, "praw_ini", "") or None)
    return source
