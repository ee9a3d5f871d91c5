"""Settings from the environment and a TOML file, validated at start with errors that name the setting."""

import os
import stat

import pytest

from newsportal.config import ConfigError, Settings, load_settings, site_secret, validate

SECRET = "s" * 40
PG = "postgresql+psycopg://news@db.example:5432/news"


def test_defaults_need_no_configuration():
    s = load_settings({})
    assert s == Settings() and not s.production


def test_environment_values_are_parsed():
    s = load_settings({"NEWSPORTAL_DATABASE_URL": PG, "NEWSPORTAL_SECRET_KEY": SECRET,
                       "NEWSPORTAL_WORKERS": "4", "NEWSPORTAL_HOT_HALF_LIFE_HOURS": "3.5",
                       "NEWSPORTAL_INDEX_IN_MEMORY": "yes", "NEWSPORTAL_SITE_URL": "https://news.example/",
                       "NEWSPORTAL_DATA_DIR": "/srv/news", "NEWSPORTAL_REDIS_URL": "redis://cache.example/0"})
    assert (s.workers, s.hot_half_life_hours, s.index_in_memory) == (4, 3.5, True)
    assert s.site_url == "https://news.example" and str(s.data_dir) == "/srv/news" and s.production


def test_a_config_file_is_read_and_the_environment_wins(tmp_path):
    path = tmp_path / "newsportal.toml"
    path.write_text(f'database_url = "{PG}"\nsecret_key = "{SECRET}"\nworkers = 3\n'
                    'redis_url = "redis://cache.example:6379/2"\n', encoding="utf-8")
    s = load_settings({"NEWSPORTAL_CONFIG": str(path), "NEWSPORTAL_WORKERS": "5"})
    assert s.database_url == PG and s.redis_url.endswith("/2") and s.workers == 5
    nested = tmp_path / "nested.toml"
    nested.write_text('[newsportal]\nworkers = 2\nredis_url = "redis://cache.example"\n', encoding="utf-8")
    assert load_settings({}, config_file=nested).workers == 2


@pytest.mark.parametrize(
    "env, setting, words",
    [
        ({"NEWSPORTAL_DATABASE_URL": "mysql://x/y"}, "NEWSPORTAL_DATABASE_URL", "must start with"),
        ({"NEWSPORTAL_DATABASE_URL": "postgresql:///news"}, "NEWSPORTAL_DATABASE_URL", "no host"),
        ({"NEWSPORTAL_REDIS_URL": "http://cache:6379"}, "NEWSPORTAL_REDIS_URL", "must start with"),
        ({"NEWSPORTAL_REDIS_URL": "redis://cache:port/0"}, "NEWSPORTAL_REDIS_URL", "not a valid URL"),
        ({"NEWSPORTAL_SITE_URL": "news.example"}, "NEWSPORTAL_SITE_URL", "must start with"),
        ({"NEWSPORTAL_DATABASE_URL": PG}, "NEWSPORTAL_SECRET_KEY", "required"),
        ({"NEWSPORTAL_SECRET_KEY": "short"}, "NEWSPORTAL_SECRET_KEY", "at least 32"),
        ({"NEWSPORTAL_WORKERS": "two"}, "NEWSPORTAL_WORKERS", "whole number"),
        ({"NEWSPORTAL_WORKERS": "0"}, "NEWSPORTAL_WORKERS", "at least 1"),
        ({"NEWSPORTAL_WORKERS": "2"}, "NEWSPORTAL_WORKERS", "needs NEWSPORTAL_REDIS_URL"),
        ({"NEWSPORTAL_REDIS_PREFIX": "my portal:"}, "NEWSPORTAL_REDIS_PREFIX", "without spaces"),
        ({"NEWSPORTAL_HOT_HALF_LIFE_HOURS": "soon"}, "NEWSPORTAL_HOT_HALF_LIFE_HOURS", "number"),
        ({"NEWSPORTAL_HOT_HALF_LIFE_HOURS": "0"}, "NEWSPORTAL_HOT_HALF_LIFE_HOURS", "positive"),
        ({"NEWSPORTAL_INDEX_IN_MEMORY": "maybe"}, "NEWSPORTAL_INDEX_IN_MEMORY", "true or false"),
        ({"NEWSPORTAL_EVENT_LIMIT_IP": "lots"}, "NEWSPORTAL_EVENT_LIMIT_IP", "rate limit"),
        ({"NEWSPORTAL_JOBS": "celery"}, "NEWSPORTAL_JOBS", "must be one of embedded, procrastinate"),
        ({"NEWSPORTAL_JOBS": "procrastinate"}, "NEWSPORTAL_JOBS", "is not a postgresql:// URL"),
        ({"NEWSPORTAL_JOBS_CONCURRENCY": "0"}, "NEWSPORTAL_JOBS_CONCURRENCY", "at least 1"),
    ],
)
def test_bad_values_stop_start_up_naming_the_setting(env, setting, words):
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    assert err.value.setting == setting and setting in str(err.value) and words in str(err.value)


def test_the_procrastinate_job_engine_is_chosen_with_a_postgresql_store():
    s = load_settings({"NEWSPORTAL_DATABASE_URL": PG, "NEWSPORTAL_SECRET_KEY": SECRET,
                       "NEWSPORTAL_JOBS": "procrastinate", "NEWSPORTAL_JOBS_CONCURRENCY": "3"})
    assert (s.jobs, s.jobs_concurrency) == ("procrastinate", 3)
    assert load_settings({}).jobs == "embedded"


def test_bad_config_files_name_the_problem(tmp_path):
    unknown = tmp_path / "a.toml"
    unknown.write_text('workers = 2\ndatabse_url = "sqlite:///x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="databse_url") as err:
        load_settings({"NEWSPORTAL_CONFIG": str(unknown)})
    assert "unknown setting" in str(err.value)
    broken = tmp_path / "b.toml"
    broken.write_text("workers = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="NEWSPORTAL_CONFIG.*not valid TOML"):
        load_settings({"NEWSPORTAL_CONFIG": str(broken)})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings({"NEWSPORTAL_CONFIG": str(tmp_path / "missing.toml")})
    typed = tmp_path / "c.toml"
    typed.write_text("site_url = 8000\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="NEWSPORTAL_SITE_URL: must be a string"):
        load_settings({"NEWSPORTAL_CONFIG": str(typed)})


def test_the_embedded_secret_is_made_once_private_and_kept(tmp_path):
    s = Settings(data_dir=tmp_path / "data")
    first = site_secret(s)
    assert len(first) >= 32 and site_secret(s) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "data" / "secret_key").st_mode)
    assert mode == 0o600
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["secret_key"]  # no temp file left
    assert site_secret(s.with_(secret_key=SECRET)) == SECRET.encode()


def test_validate_can_skip_the_secret_check_for_tools():
    s = Settings(database_url=PG)
    assert validate(s, require_secret=False) is s
    with pytest.raises(ConfigError, match="NEWSPORTAL_SECRET_KEY"):
        validate(s)


def test_serve_refuses_production_without_a_secret(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from newsportal.cli import app

    monkeypatch.delenv("NEWSPORTAL_SECRET_KEY", raising=False)
    monkeypatch.delenv("NEWSPORTAL_CONFIG", raising=False)
    monkeypatch.setenv("NEWSPORTAL_DATABASE_URL", PG)
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "NEWSPORTAL_SECRET_KEY" in result.output and "required" in result.output
