-- 001_init: programmes, units, enterprises (minimal), users, sessions,
-- login throttling and the append-only audit log.
-- Times are UNIX seconds (BIGINT); calendar dates are TEXT 'YYYY-MM-DD'.

CREATE TABLE programmes (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  region      TEXT NOT NULL,
  year        INTEGER NOT NULL,
  notice      TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT '',
  allow_late  INTEGER NOT NULL DEFAULT 1,
  quotas      TEXT NOT NULL DEFAULT '{}',
  created_at  BIGINT NOT NULL
);

CREATE TABLE programme_phases (
  programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  key          TEXT NOT NULL,
  name         TEXT NOT NULL,
  start_date   TEXT NOT NULL,
  end_date     TEXT NOT NULL,
  PRIMARY KEY (programme_id, key)
);

CREATE TABLE programme_deadlines (
  programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  key          TEXT NOT NULL,
  name         TEXT NOT NULL,
  due_date     TEXT NOT NULL,
  audience     TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (programme_id, key)
);

CREATE TABLE industries (
  id           INTEGER PRIMARY KEY,
  programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  name         TEXT NOT NULL,
  category     TEXT NOT NULL DEFAULT '',
  UNIQUE (programme_id, name)
);

CREATE TABLE units (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('city', 'district', 'cb')),
  name         TEXT NOT NULL UNIQUE,
  short_name   TEXT NOT NULL DEFAULT '',
  district     TEXT,
  region_code  TEXT,
  cnca_code    TEXT,
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   BIGINT NOT NULL
);
CREATE INDEX units_kind ON units(kind, id);

CREATE TABLE enterprises (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  uscc             TEXT NOT NULL UNIQUE,
  district_unit_id INTEGER NOT NULL REFERENCES units(id),
  industry         TEXT NOT NULL DEFAULT '',
  created_at       BIGINT NOT NULL
);
CREATE INDEX enterprises_district ON enterprises(district_unit_id);

CREATE TABLE users (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL UNIQUE,
  display_name         TEXT NOT NULL,
  role                 TEXT NOT NULL CHECK (role IN ('city_admin', 'district_officer', 'cb_staff', 'enterprise')),
  unit_id              INTEGER REFERENCES units(id),
  enterprise_id        INTEGER REFERENCES enterprises(id),
  password_hash        TEXT NOT NULL,
  active               INTEGER NOT NULL DEFAULT 1,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL,
  last_login_at        BIGINT,
  password_changed_at  BIGINT
);
CREATE INDEX users_role ON users(role);
CREATE INDEX users_unit ON users(unit_id);
CREATE INDEX users_active ON users(active);

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  last_seen   BIGINT NOT NULL,
  ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_last_seen ON sessions(last_seen);

CREATE TABLE login_throttle (
  key          TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          BIGINT NOT NULL,
  user_id     BIGINT,
  username    TEXT NOT NULL DEFAULT '',
  ip          TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id   BIGINT,
  detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_action ON audit_log(action, at);
CREATE INDEX audit_username ON audit_log(username, at);

-- The audit log is append-only: refuse changes and deletions at the database.
-- (Lines marked "sqlite-only" are dropped for PostgreSQL; lines starting "--pg " are
-- PostgreSQL's, uncommented by scripts/embed-sql.sh.)
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END; -- sqlite-only
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END; -- sqlite-only
--pg CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
--pg CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
