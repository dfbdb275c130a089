"""Search indexes over the folded person search column.

SQLite: two external-content FTS5 tables kept in step by triggers -- ``person_fts`` with the
trigram tokenizer (substrings of 3+ characters) and ``person_prefix`` with word prefixes of 1
and 2 characters. PostgreSQL: a pg_trgm GIN index (when the extension can be created; without
it searches still work, only slower).

Revision ID: a1f3c9e2b7d4
Revises: 046397a28661
Create Date: 2026-11-27 03:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a1f3c9e2b7d4"
down_revision: str | None = "046397a28661"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLES = {
    "person_fts": "tokenize='trigram'",
    "person_prefix": "tokenize='unicode61 remove_diacritics 0', prefix='1 2'",
}


def _sqlite_upgrade() -> None:
    for table, options in FTS_TABLES.items():
        op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(search_text, content='person', "
                   f"content_rowid='id', {options})")
        op.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        op.execute(f"""CREATE TRIGGER {table}_ai AFTER INSERT ON person BEGIN
            INSERT INTO {table}(rowid, search_text) VALUES (new.id, new.search_text); END""")
        op.execute(f"""CREATE TRIGGER {table}_ad AFTER DELETE ON person BEGIN
            INSERT INTO {table}({table}, rowid, search_text)
            VALUES ('delete', old.id, old.search_text); END""")
        op.execute(f"""CREATE TRIGGER {table}_au AFTER UPDATE OF search_text ON person BEGIN
            INSERT INTO {table}({table}, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
            INSERT INTO {table}(rowid, search_text) VALUES (new.id, new.search_text); END""")


def _postgresql_upgrade() -> None:
    op.execute("""DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'pg_trgm cannot be created here; person search runs without its index';
    END $$""")
    op.execute("""DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
            CREATE INDEX ix_person_search_trgm ON person USING gin (search_text gin_trgm_ops);
        END IF;
    END $$""")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        _postgresql_upgrade()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in FTS_TABLES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_person_search_trgm")
