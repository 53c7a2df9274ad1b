"""psql against one database of a PostgreSQL server."""

from __future__ import annotations

import json
import os
import urllib.parse

from .common import run


class Postgres:
    def __init__(self, url, db):
        parsed = urllib.parse.urlparse(url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = str(parsed.port or 5432)
        self.user = parsed.username or "postgres"
        self.password = parsed.password
        self.db = db
        self.env = dict(os.environ)
        if self.password:
            self.env["PGPASSWORD"] = urllib.parse.unquote(self.password)

    def url(self):
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{auth}@{self.host}:{self.port}/{self.db}"

    def args(self, db=None):
        return ["-h", self.host, "-p", self.port, "-U", self.user, "-d", db or self.db]

    def psql(self, sql, db=None):
        result = run(
            ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", *self.args(db)],
            env=self.env,
            input_=sql,
        )
        return result.stdout.strip()

    def value(self, sql):
        """The last line of the output (a script's earlier statements may print too)."""
        out = self.psql(sql)
        return out.splitlines()[-1] if out else ""

    def json(self, sql):
        return json.loads(self.value(sql))
