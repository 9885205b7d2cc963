-- 003_declarations: uploaded files, declarations (申报表) with their versions,
-- and the selection of certification bodies per pilot industry (遴选).

-- Files live in the database so that every server sees them and one backup holds all.
CREATE TABLE files (
  id           INTEGER PRIMARY KEY,
  sha256       TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         BIGINT NOT NULL,
  filename     TEXT NOT NULL,
  data         BLOB NOT NULL,
  created_by   INTEGER REFERENCES users(id),
  created_at   BIGINT NOT NULL
);

CREATE TABLE declarations (
  id            INTEGER PRIMARY KEY,
  programme_id  INTEGER NOT NULL REFERENCES programmes(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  category      TEXT NOT NULL CHECK (category IN ('market_regulation', 'certification_body')),
  status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
  joins_pilot   INTEGER,
  form          TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 0,
  late          INTEGER NOT NULL DEFAULT 0,
  return_reason TEXT,
  scan_file_id  INTEGER REFERENCES files(id),
  scan_uploaded_at BIGINT,
  submitted_at  BIGINT,
  accepted_at   BIGINT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  UNIQUE (programme_id, unit_id)
);
CREATE INDEX declarations_status ON declarations(programme_id, status);
CREATE INDEX declarations_category ON declarations(programme_id, category, status);
CREATE INDEX declarations_joins ON declarations(programme_id, joins_pilot);
CREATE INDEX declarations_late ON declarations(programme_id, late);

CREATE TABLE declaration_industries (
  declaration_id INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
  industry       TEXT NOT NULL,
  PRIMARY KEY (declaration_id, industry)
);
CREATE INDEX declaration_industries_industry ON declaration_industries(industry, declaration_id);

CREATE TABLE declaration_versions (
  declaration_id INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
  version        INTEGER NOT NULL,
  form           TEXT NOT NULL,
  submitted_at   BIGINT NOT NULL,
  submitted_by   TEXT NOT NULL,
  late           INTEGER NOT NULL DEFAULT 0,
  outcome        TEXT,
  return_reason  TEXT,
  PRIMARY KEY (declaration_id, version)
);

CREATE TABLE selections (
  id               INTEGER PRIMARY KEY,
  programme_id     INTEGER NOT NULL REFERENCES programmes(id),
  industry         TEXT NOT NULL,
  cb_unit_id       INTEGER NOT NULL REFERENCES units(id),
  declaration_id   INTEGER NOT NULL REFERENCES declarations(id),
  criteria         TEXT NOT NULL,
  exception_reason TEXT,
  created_by       TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  UNIQUE (programme_id, industry, cb_unit_id)
);
CREATE INDEX selections_cb ON selections(cb_unit_id);

-- The history of a record is read from the audit log by object.
CREATE INDEX audit_object ON audit_log(object_type, object_id, id);
