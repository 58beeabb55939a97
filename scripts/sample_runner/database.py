"""The page's database: a SQLite file in its project, or a fresh PostgreSQL
database on the server named by --postgres (created per page, dropped after)."""

import re

_NAME = re.compile(r"^[a-z0-9_]+$")


class PostgresError(Exception):
    pass


class Postgres:
    def __init__(self, dsn):
        try:
            from psycopg import conninfo
        except ImportError as error:
            raise PostgresError(
                "--postgres needs psycopg in this Python (pip install 'psycopg[binary]')"
            ) from error
        try:
            self.params = conninfo.conninfo_to_dict(dsn)
        except Exception as error:  # noqa: BLE001 - psycopg raises ProgrammingError
            raise PostgresError(f"--postgres {dsn!r}: {error}") from error
        self.params.pop("dbname", None)
        self.admin_db = "postgres"

    def _admin(self):
        import psycopg

        return psycopg.connect(**self.params, dbname=self.admin_db, autocommit=True,
                               connect_timeout=10)

    def check(self):
        """Fail early, with the server's message, when it cannot be reached."""
        try:
            with self._admin() as connection:
                connection.execute("SELECT 1")
        except Exception as error:  # noqa: BLE001
            raise PostgresError(f"cannot connect to PostgreSQL (--postgres): {error}") from error

    def create(self, name):
        assert _NAME.match(name)
        self.drop(name)
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def drop(self, name):
        """Drop the page's database and the test database Django makes beside it."""
        assert _NAME.match(name)
        with self._admin() as connection:
            for db in (name, f"test_{name}"):
                try:
                    connection.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                except Exception:  # noqa: BLE001 - PostgreSQL < 13 has no FORCE
                    connection.execute(f'DROP DATABASE IF EXISTS "{db}"')

    def django_settings(self, name):
        """DATABASES["default"] (minus ENGINE) for the page's database."""
        params = dict(self.params)
        settings = {"NAME": name}
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"),
                             ("password", "PASSWORD")):
            if key in params:
                settings[setting] = params.pop(key)
        if params:
            settings["OPTIONS"] = params
        return settings
