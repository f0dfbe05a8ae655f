-- The system of record. Every document keeps its full extracted form (data, JSON) and
-- the tables below make its correspondents, references and sources queryable.
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sources (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,          -- file name as given
  path        TEXT NOT NULL,          -- path as given on the command line
  media_type  TEXT NOT NULL,
  size        INTEGER NOT NULL,
  reader      TEXT NOT NULL,
  collection  TEXT NOT NULL,
  ingested_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
  id             TEXT PRIMARY KEY,    -- <sha256[:12]>-<position in source>
  source_id      INTEGER NOT NULL REFERENCES sources(id),
  seq            INTEGER NOT NULL,
  parent_id      TEXT REFERENCES documents(id),  -- set for enclosures
  start_line     INTEGER NOT NULL,
  end_line       INTEGER NOT NULL,
  number         TEXT,
  title          TEXT NOT NULL,
  type           TEXT,
  date           TEXT,
  date_precision TEXT,
  sent           TEXT,
  received       TEXT,
  fragment       INTEGER NOT NULL,
  text           TEXT NOT NULL,
  data           TEXT NOT NULL        -- the extract contract, without text and enclosures
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_id, seq);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
-- Small partial indexes: a document's enclosures, and the count of fragments, without
-- reading the (large) document rows.
CREATE INDEX IF NOT EXISTS documents_parent ON documents(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_fragment ON documents(fragment) WHERE fragment = 1;

CREATE TABLE IF NOT EXISTS roles (
  document_id TEXT NOT NULL REFERENCES documents(id),
  role        TEXT NOT NULL,          -- authors, recipients, via, for, copies_to, people, ...
  as_written  TEXT NOT NULL,
  agent_id    TEXT,
  name        TEXT,
  line        INTEGER
);
CREATE INDEX IF NOT EXISTS roles_document ON roles(document_id);
CREATE INDEX IF NOT EXISTS roles_agent ON roles(agent_id, role);

CREATE TABLE IF NOT EXISTS refs (
  document_id TEXT NOT NULL REFERENCES documents(id),
  value       TEXT NOT NULL,
  role        TEXT NOT NULL,
  line        INTEGER,
  key         TEXT NOT NULL           -- comparable form: `No. 439/sh.` → `439/sh`
);
CREATE INDEX IF NOT EXISTS refs_document ON refs(document_id);
CREATE INDEX IF NOT EXISTS refs_key ON refs(key, role);
-- Reply references to ranges of numbers (`1112-1126`), checked one by one against a number.
CREATE INDEX IF NOT EXISTS refs_range ON refs(role) WHERE key LIKE '%-%';
