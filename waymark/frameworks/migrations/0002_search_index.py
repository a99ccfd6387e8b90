"""Full-text search over framework items: an FTS5 table kept in step by triggers on
SQLite; a GIN expression index on PostgreSQL. Both stem English words."""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE frameworks_node_fts USING fts5(
        code, title, statement,
        content='frameworks_node', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER frameworks_node_fts_ai AFTER INSERT ON frameworks_node BEGIN
        INSERT INTO frameworks_node_fts(rowid, code, title, statement)
        VALUES (new.id, new.code, new.title, new.statement);
    END""",
    """CREATE TRIGGER frameworks_node_fts_ad AFTER DELETE ON frameworks_node BEGIN
        INSERT INTO frameworks_node_fts(frameworks_node_fts, rowid, code, title, statement)
        VALUES ('delete', old.id, old.code, old.title, old.statement);
    END""",
    """CREATE TRIGGER frameworks_node_fts_au AFTER UPDATE OF code, title, statement ON frameworks_node BEGIN
        INSERT INTO frameworks_node_fts(frameworks_node_fts, rowid, code, title, statement)
        VALUES ('delete', old.id, old.code, old.title, old.statement);
        INSERT INTO frameworks_node_fts(rowid, code, title, statement)
        VALUES (new.id, new.code, new.title, new.statement);
    END""",
    "INSERT INTO frameworks_node_fts(frameworks_node_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS frameworks_node_fts_ai",
    "DROP TRIGGER IF EXISTS frameworks_node_fts_ad",
    "DROP TRIGGER IF EXISTS frameworks_node_fts_au",
    "DROP TABLE IF EXISTS frameworks_node_fts",
]
POSTGRES_CREATE = [
    """CREATE INDEX frameworks_node_search ON frameworks_node USING GIN (
        (setweight(to_tsvector('english', coalesce(code, '')), 'A') ||
         setweight(to_tsvector('english', coalesce(title, '')), 'B') ||
         setweight(to_tsvector('english', coalesce(statement, '')), 'C'))
    )""",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS frameworks_node_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
