-- The system of record. Every document keeps its full extracted form: its columns, its
-- roles and refs rows, and `data` for the rest of it; the text is read from the original
-- when it is there byte for byte (cablegram/store/packing.py says how).
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
  n              INTEGER PRIMARY KEY, -- row number: the key of the document's roles and refs
  id             TEXT NOT NULL UNIQUE, -- <sha256[:12]>-<position in source>
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
  text           BLOB,                -- zlib-compressed UTF-8; NULL: read from the original,
  text_start     INTEGER,             -- bytes text_start to text_end of it
  text_end       INTEGER,
  data           BLOB NOT NULL        -- deflated JSON: the rest of the contract
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_id, seq);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
-- Small partial indexes: a document's enclosures, and the count of fragments, without
-- reading the document rows.
CREATE INDEX IF NOT EXISTS documents_parent ON documents(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_fragment ON documents(fragment) WHERE fragment = 1;

-- Names and references are kept by document number, in document order (no rowid, no index
-- repeating the key), `seq` numbering a document's rows as stored; the views `roles` and
-- `refs` show them by document id. Each spelling of a name (as written, and the authority
-- record and name it was linked to) is kept once, in `spellings`.
CREATE TABLE IF NOT EXISTS role_names (
  code INTEGER PRIMARY KEY,
  role TEXT NOT NULL UNIQUE           -- authors, recipients, via, for, copies_to, people, ...
);

CREATE TABLE IF NOT EXISTS spellings (
  code       INTEGER PRIMARY KEY,
  as_written TEXT NOT NULL,
  agent_id   TEXT,                    -- the authority record, when linked
  name       TEXT                     -- its name when linked
);
CREATE INDEX IF NOT EXISTS spellings_key ON spellings(as_written, agent_id, name);

CREATE TABLE IF NOT EXISTS document_roles (
  document INTEGER NOT NULL REFERENCES documents(n),
  seq      INTEGER NOT NULL,
  role     INTEGER NOT NULL REFERENCES role_names(code),
  spelling INTEGER NOT NULL REFERENCES spellings(code),
  line     INTEGER,
  PRIMARY KEY (document, seq)
) WITHOUT ROWID;

CREATE VIEW IF NOT EXISTS roles AS
  SELECT d.id AS document_id, k.role AS role, w.as_written AS as_written,
         w.agent_id AS agent_id, w.name AS name, r.line AS line, r.seq AS seq
  FROM document_roles r JOIN documents d ON d.n = r.document
  JOIN role_names k ON k.code = r.role JOIN spellings w ON w.code = r.spelling;

CREATE TABLE IF NOT EXISTS document_refs (
  document INTEGER NOT NULL REFERENCES documents(n),
  seq      INTEGER NOT NULL,
  value    TEXT NOT NULL,
  role     TEXT NOT NULL,
  line     INTEGER,
  key      TEXT NOT NULL,             -- comparable form: `No. 439/sh.` → `439/sh`
  PRIMARY KEY (document, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS refs_key ON document_refs(key, role);
-- Reply references to ranges of numbers (`1112-1126`), checked one by one against a number.
CREATE INDEX IF NOT EXISTS refs_range ON document_refs(role) WHERE key LIKE '%-%';

CREATE VIEW IF NOT EXISTS refs AS
  SELECT d.id AS document_id, f.value AS value, f.role AS role, f.line AS line,
         f.key AS key, f.seq AS seq
  FROM document_refs f JOIN documents d ON d.n = f.document;
