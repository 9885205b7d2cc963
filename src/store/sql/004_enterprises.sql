-- 004_enterprises: the enterprise registry (size class, park, consent), baseline and
-- follow-up indicators, assignment to a certification body, and district work plans.

ALTER TABLE enterprises ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN park TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN sector TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN employees INTEGER;
ALTER TABLE enterprises ADD COLUMN revenue DOUBLE PRECISION;
ALTER TABLE enterprises ADD COLUMN total_assets DOUBLE PRECISION;
ALTER TABLE enterprises ADD COLUMN size_class TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN consent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enterprises ADD COLUMN region_warning TEXT;
ALTER TABLE enterprises ADD COLUMN updated_at BIGINT;
CREATE INDEX enterprises_industry ON enterprises(industry, district_unit_id);
CREATE INDEX enterprises_district_industry ON enterprises(district_unit_id, industry);
CREATE INDEX enterprises_size ON enterprises(size_class);
CREATE INDEX enterprises_park ON enterprises(park);

CREATE TABLE enterprise_indicators (
  enterprise_id        INTEGER NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
  kind                 TEXT NOT NULL CHECK (kind IN ('baseline', 'followup')),
  period               TEXT NOT NULL,
  first_pass_yield     DOUBLE PRECISION,
  defect_rate          DOUBLE PRECISION,
  complaints           INTEGER,
  satisfaction         DOUBLE PRECISION,
  quality_cost_rate    DOUBLE PRECISION,
  revenue              DOUBLE PRECISION,
  profit_margin        DOUBLE PRECISION,
  updated_by           TEXT NOT NULL,
  updated_at           BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, kind)
);

CREATE TABLE assignments (
  id            INTEGER PRIMARY KEY,
  programme_id  INTEGER NOT NULL REFERENCES programmes(id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
  cb_unit_id    INTEGER NOT NULL REFERENCES units(id),
  industry      TEXT NOT NULL,
  assigned_by   TEXT NOT NULL,
  assigned_at   BIGINT NOT NULL,
  UNIQUE (programme_id, enterprise_id)
);
CREATE INDEX assignments_cb ON assignments(cb_unit_id, enterprise_id);

CREATE TABLE workplans (
  id            INTEGER PRIMARY KEY,
  programme_id  INTEGER NOT NULL REFERENCES programmes(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
  content       TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 0,
  late          INTEGER NOT NULL DEFAULT 0,
  return_reason TEXT,
  submitted_at  BIGINT,
  approved_at   BIGINT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  UNIQUE (programme_id, unit_id)
);
CREATE INDEX workplans_status ON workplans(programme_id, status);

CREATE TABLE workplan_versions (
  workplan_id   INTEGER NOT NULL REFERENCES workplans(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  content       TEXT NOT NULL,
  submitted_at  BIGINT NOT NULL,
  submitted_by  TEXT NOT NULL,
  late          INTEGER NOT NULL DEFAULT 0,
  outcome       TEXT,
  return_reason TEXT,
  PRIMARY KEY (workplan_id, version)
);
