-- 008_reports: statutory reports (中期推进情况, 年度总结) with frozen figures and versions,
-- reminder recipients and the reminders sent, the city's evaluation of districts (总结验收),
-- the enterprises' effect questionnaires, typical cases (典型案例) and benchmark
-- enterprises (标杆企业) with reviewers' scores.

CREATE TABLE reports (
  id            INTEGER PRIMARY KEY,
  programme_id  INTEGER NOT NULL REFERENCES programmes(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  kind          TEXT NOT NULL CHECK (kind IN ('midterm', 'annual')),
  status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
  content       TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 0,
  late          INTEGER NOT NULL DEFAULT 0,
  return_reason TEXT,
  submitted_at  BIGINT,
  accepted_at   BIGINT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  UNIQUE (programme_id, unit_id, kind)
);
CREATE INDEX reports_status ON reports(programme_id, kind, status);

CREATE TABLE report_versions (
  report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  content       TEXT NOT NULL,
  submitted_at  BIGINT NOT NULL,
  submitted_by  TEXT NOT NULL,
  late          INTEGER NOT NULL DEFAULT 0,
  outcome       TEXT,
  return_reason TEXT,
  PRIMARY KEY (report_id, version)
);

-- Where a unit's reminders go (set by the unit or the city).
CREATE TABLE reminder_recipients (
  unit_id     INTEGER PRIMARY KEY REFERENCES units(id),
  emails      TEXT NOT NULL DEFAULT '',
  enabled     INTEGER NOT NULL DEFAULT 1,
  updated_by  TEXT NOT NULL,
  updated_at  BIGINT NOT NULL
);

-- One row per (unit, deadline, offset, recipient): inserting it claims the send, so each
-- reminder goes out at most once across every server; failures are retried later.
CREATE TABLE reminders (
  id            INTEGER PRIMARY KEY,
  programme_id  INTEGER NOT NULL REFERENCES programmes(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  deadline_key  TEXT NOT NULL,
  due_date      TEXT NOT NULL,
  offset_days   INTEGER NOT NULL,
  recipient     TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT NOT NULL DEFAULT '',
  subject       TEXT NOT NULL DEFAULT '',
  created_at    BIGINT NOT NULL,
  sent_at       BIGINT,
  next_try_at   BIGINT,
  UNIQUE (programme_id, unit_id, deadline_key, offset_days, recipient)
);
CREATE INDEX reminders_retry ON reminders(status, next_try_at);
CREATE INDEX reminders_unit ON reminders(unit_id, created_at);

-- The city's evaluation of a district: entered sub-indicator points (JSON {key: points}),
-- the computed ones are recomputed from the records when shown and frozen at "finalise".
CREATE TABLE evaluations (
  id               INTEGER PRIMARY KEY,
  programme_id     INTEGER NOT NULL REFERENCES programmes(id),
  district_unit_id INTEGER NOT NULL REFERENCES units(id),
  entered          TEXT NOT NULL DEFAULT '{}',
  frozen           TEXT,
  total            DOUBLE PRECISION,
  comment          TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
  updated_by       TEXT NOT NULL,
  updated_at       BIGINT NOT NULL,
  UNIQUE (programme_id, district_unit_id)
);

-- The effect questionnaire of an assisted enterprise (one per programme).
CREATE TABLE questionnaires (
  id            INTEGER PRIMARY KEY,
  programme_id  INTEGER NOT NULL REFERENCES programmes(id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
  improvement   TEXT NOT NULL CHECK (improvement IN ('very', 'fairly', 'average', 'not')),
  satisfaction  INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
  comments      TEXT NOT NULL DEFAULT '',
  answered_by   TEXT NOT NULL,
  answered_at   BIGINT NOT NULL,
  UNIQUE (programme_id, enterprise_id)
);

CREATE TABLE cases (
  id               INTEGER PRIMARY KEY,
  programme_id     INTEGER NOT NULL REFERENCES programmes(id),
  district_unit_id INTEGER NOT NULL REFERENCES units(id),
  enterprise_id    INTEGER NOT NULL REFERENCES enterprises(id),
  title            TEXT NOT NULL,
  content          TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'published')),
  return_reason    TEXT,
  submitted_at     BIGINT,
  published_at     BIGINT,
  created_by       TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX cases_status ON cases(programme_id, status);
CREATE INDEX cases_district ON cases(district_unit_id, status);

CREATE TABLE benchmarks (
  id               INTEGER PRIMARY KEY,
  programme_id     INTEGER NOT NULL REFERENCES programmes(id),
  district_unit_id INTEGER NOT NULL REFERENCES units(id),
  enterprise_id    INTEGER NOT NULL REFERENCES enterprises(id),
  industry         TEXT NOT NULL,
  reason           TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('nominated', 'selected', 'not_selected')),
  published_at     BIGINT,
  created_by       TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  UNIQUE (programme_id, enterprise_id)
);
CREATE INDEX benchmarks_quota ON benchmarks(programme_id, district_unit_id, industry);

CREATE TABLE benchmark_scores (
  benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id) ON DELETE CASCADE,
  reviewer     TEXT NOT NULL,
  score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
  comment      TEXT NOT NULL DEFAULT '',
  scored_at    BIGINT NOT NULL,
  PRIMARY KEY (benchmark_id, reviewer)
);

-- Dashboard filters: certificates per enterprise already indexed; diagnoses and actions too.
CREATE INDEX diagnoses_stage ON diagnoses(kind, status, enterprise_id);
