# ruff: noqa: S608  (fixed SQL text assembled from constants, no user input)
"""Full-text search over catalogue resources: title, description, provider name and type.

SQLite: an FTS5 table kept in step by triggers on resources and on providers (a renamed
provider re-indexes its resources). The table holds its own copy of the text rather than
reading it from `signposting_resource` (external content), because one of its columns,
the provider's name, lives in another table: a row can then always be deleted by rowid,
whatever has happened to the provider since.

PostgreSQL: a side table holding each resource's weighted tsvector (title A, provider B,
description C, type D) with a GIN index, kept in step by the same triggers in PL/pgSQL.
It has no foreign key, so that Django's test flush (TRUNCATE without CASCADE) works;
rows left over from a truncate are never joined to a resource of another id, and an
insert with a reused id overwrites them. Both stem English words."""

from django.db import migrations

_SQLITE_ROW = """
    SELECT r.id, r.title, r.description,
           coalesce((SELECT p.name FROM signposting_provider p WHERE p.id = r.provider_id), ''),
           replace(r.resource_type, '-', ' ')
    FROM signposting_resource r
"""

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE signposting_resource_fts USING fts5(
        title, description, provider, kind,
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER signposting_resource_fts_ai AFTER INSERT ON signposting_resource BEGIN
        INSERT INTO signposting_resource_fts(rowid, title, description, provider, kind)
        {_SQLITE_ROW} WHERE r.id = new.id;
    END""",
    """CREATE TRIGGER signposting_resource_fts_ad AFTER DELETE ON signposting_resource BEGIN
        DELETE FROM signposting_resource_fts WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER signposting_resource_fts_au
        AFTER UPDATE OF title, description, provider_id, resource_type ON signposting_resource
    BEGIN
        DELETE FROM signposting_resource_fts WHERE rowid = old.id;
        INSERT INTO signposting_resource_fts(rowid, title, description, provider, kind)
        {_SQLITE_ROW} WHERE r.id = new.id;
    END""",
    f"""CREATE TRIGGER signposting_provider_fts_au AFTER UPDATE OF name ON signposting_provider
    BEGIN
        DELETE FROM signposting_resource_fts
        WHERE rowid IN (SELECT id FROM signposting_resource WHERE provider_id = new.id);
        INSERT INTO signposting_resource_fts(rowid, title, description, provider, kind)
        {_SQLITE_ROW} WHERE r.provider_id = new.id;
    END""",
    f"""INSERT INTO signposting_resource_fts(rowid, title, description, provider, kind)
        {_SQLITE_ROW}""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS signposting_resource_fts_ai",
    "DROP TRIGGER IF EXISTS signposting_resource_fts_ad",
    "DROP TRIGGER IF EXISTS signposting_resource_fts_au",
    "DROP TRIGGER IF EXISTS signposting_provider_fts_au",
    "DROP TABLE IF EXISTS signposting_resource_fts",
]

_PG_DOCUMENT = """
    setweight(to_tsvector('english', coalesce(r.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(p.name, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(r.description, '')), 'C') ||
    setweight(to_tsvector('english', replace(coalesce(r.resource_type, ''), '-', ' ')), 'D')
"""

POSTGRES_CREATE = [
    """CREATE TABLE signposting_resource_search (
        resource_id bigint PRIMARY KEY,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX signposting_resource_search_gin ON signposting_resource_search USING GIN (document)",
    f"""CREATE FUNCTION signposting_resource_search_refresh() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM signposting_resource_search WHERE resource_id = OLD.id;
            RETURN OLD;
        END IF;
        INSERT INTO signposting_resource_search (resource_id, document)
        SELECT r.id, {_PG_DOCUMENT}
        FROM signposting_resource r LEFT JOIN signposting_provider p ON p.id = r.provider_id
        WHERE r.id = NEW.id
        ON CONFLICT (resource_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER signposting_resource_search_aiud
        AFTER INSERT OR DELETE OR UPDATE OF title, description, provider_id, resource_type
        ON signposting_resource
        FOR EACH ROW EXECUTE FUNCTION signposting_resource_search_refresh()""",
    f"""CREATE FUNCTION signposting_provider_search_refresh() RETURNS trigger AS $$
    BEGIN
        INSERT INTO signposting_resource_search (resource_id, document)
        SELECT r.id, {_PG_DOCUMENT}
        FROM signposting_resource r JOIN signposting_provider p ON p.id = r.provider_id
        WHERE r.provider_id = NEW.id
        ON CONFLICT (resource_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER signposting_provider_search_au
        AFTER UPDATE OF name ON signposting_provider
        FOR EACH ROW EXECUTE FUNCTION signposting_provider_search_refresh()""",
    f"""INSERT INTO signposting_resource_search (resource_id, document)
        SELECT r.id, {_PG_DOCUMENT}
        FROM signposting_resource r LEFT JOIN signposting_provider p ON p.id = r.provider_id""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS signposting_provider_search_au ON signposting_provider",
    "DROP TRIGGER IF EXISTS signposting_resource_search_aiud ON signposting_resource",
    "DROP FUNCTION IF EXISTS signposting_provider_search_refresh()",
    "DROP FUNCTION IF EXISTS signposting_resource_search_refresh()",
    "DROP TABLE IF EXISTS signposting_resource_search",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("signposting", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
