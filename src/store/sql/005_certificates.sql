-- 005_certificates: certification audits, the certificate registry with its change
-- history, and surveillance audits.

CREATE TABLE cert_audits (
  id                     INTEGER PRIMARY KEY,
  programme_id           INTEGER NOT NULL REFERENCES programmes(id),
  enterprise_id          INTEGER NOT NULL REFERENCES enterprises(id),
  cb_unit_id             INTEGER NOT NULL REFERENCES units(id),
  stage1_date            TEXT,
  stage2_date            TEXT,
  team                   TEXT NOT NULL DEFAULT '',
  nc_found               INTEGER NOT NULL DEFAULT 0,
  nc_closed              INTEGER NOT NULL DEFAULT 0,
  decision               TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'certify', 'refuse')),
  decision_date          TEXT,
  notes                  TEXT NOT NULL DEFAULT '',
  updated_by             TEXT NOT NULL,
  updated_at             BIGINT NOT NULL,
  UNIQUE (programme_id, enterprise_id)
);

CREATE TABLE certificates (
  id               INTEGER PRIMARY KEY,
  number           TEXT NOT NULL,
  cb_unit_id       INTEGER REFERENCES units(id),
  issuer_name      TEXT NOT NULL,
  enterprise_id    INTEGER REFERENCES enterprises(id),
  prior            INTEGER NOT NULL DEFAULT 0,
  holder           TEXT NOT NULL,
  uscc             TEXT NOT NULL DEFAULT '',
  address          TEXT NOT NULL DEFAULT '',
  sites            TEXT NOT NULL DEFAULT '',
  scope            TEXT NOT NULL,
  standard         TEXT NOT NULL,
  scheme           TEXT NOT NULL DEFAULT '',
  first_issue_date TEXT NOT NULL,
  issue_date       TEXT NOT NULL,
  expiry_date      TEXT NOT NULL,
  headcount        INTEGER NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'withdrawn', 'cancelled', 'expired')),
  status_date      TEXT NOT NULL,
  status_reason    TEXT NOT NULL DEFAULT '',
  created_by       TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  UNIQUE (issuer_name, number)
);
CREATE INDEX certificates_number ON certificates(number);
CREATE INDEX certificates_cb ON certificates(cb_unit_id, status);
CREATE INDEX certificates_enterprise ON certificates(enterprise_id);
CREATE INDEX certificates_status ON certificates(status, expiry_date);

CREATE TABLE certificate_events (
  id             INTEGER PRIMARY KEY,
  certificate_id INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
  on_date        TEXT NOT NULL,
  from_status    TEXT,
  to_status      TEXT NOT NULL,
  reason         TEXT NOT NULL DEFAULT '',
  username       TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX certificate_events_cert ON certificate_events(certificate_id, id);

CREATE TABLE surveillances (
  id             INTEGER PRIMARY KEY,
  certificate_id INTEGER NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
  audit_date     TEXT NOT NULL,
  result         TEXT NOT NULL CHECK (result IN ('pass', 'nonconformities', 'fail')),
  notes          TEXT NOT NULL DEFAULT '',
  created_by     TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX surveillances_cert ON surveillances(certificate_id, audit_date);
