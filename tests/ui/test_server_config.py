"""The server's hardening settings (.streamlit/config.toml) agree with SETTINGS.auth."""

import tomllib
from pathlib import Path

from geo.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def test_xsrf_on_and_upload_limit_is_the_settings_one() -> None:
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["maxUploadSize"] == SETTINGS.auth.upload_limit_mb
    proxy = (ROOT / "deploy" / "nginx-laocai.conf").read_text("utf-8")
    assert f"client_max_body_size {SETTINGS.auth.upload_limit_mb}m;" in proxy


def test_the_secrets_file_is_never_committed() -> None:
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text("utf-8").splitlines()
