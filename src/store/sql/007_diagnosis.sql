-- 007_diagnosis: checklists (data), on-site diagnoses and self-assessments with their
-- answers and evidence, and the improvement plan's actions with their history.

CREATE TABLE checklists (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  title       TEXT NOT NULL,
  standard    TEXT NOT NULL,
  content     TEXT NOT NULL,
  loaded_at   BIGINT NOT NULL,
  UNIQUE (code, version)
);

CREATE TABLE checklist_items (
  id           INTEGER PRIMARY KEY,
  checklist_id INTEGER NOT NULL REFERENCES checklists(id),
  key          TEXT NOT NULL,
  section      TEXT NOT NULL,
  clause       TEXT NOT NULL,
  position     INTEGER NOT NULL,
  text         TEXT NOT NULL,
  UNIQUE (checklist_id, key)
);
CREATE INDEX checklist_items_list ON checklist_items(checklist_id, position);

CREATE TABLE diagnoses (
  id            INTEGER PRIMARY KEY,
  programme_id  INTEGER NOT NULL REFERENCES programmes(id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
  cb_unit_id    INTEGER REFERENCES units(id),
  kind          TEXT NOT NULL CHECK (kind IN ('onsite', 'self')),
  round         INTEGER NOT NULL DEFAULT 1,
  checklist_id  INTEGER NOT NULL REFERENCES checklists(id),
  visit_date    TEXT NOT NULL,
  team          TEXT NOT NULL DEFAULT '',
  summary       TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
  overall       DOUBLE PRECISION,
  scores        TEXT,
  answered      INTEGER NOT NULL DEFAULT 0,
  submitted_at  BIGINT,
  created_by    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX diagnoses_enterprise ON diagnoses(enterprise_id, kind, status);
CREATE INDEX diagnoses_cb ON diagnoses(cb_unit_id, status);
CREATE INDEX diagnoses_programme ON diagnoses(programme_id, status, kind);
-- One draft of each kind per enterprise, also when two requests race.
CREATE UNIQUE INDEX diagnoses_one_draft ON diagnoses(enterprise_id, kind) WHERE status = 'draft';

CREATE TABLE diagnosis_answers (
  diagnosis_id INTEGER NOT NULL REFERENCES diagnoses(id) ON DELETE CASCADE,
  item_id      INTEGER NOT NULL REFERENCES checklist_items(id),
  score        INTEGER CHECK (score BETWEEN 1 AND 5),
  na           INTEGER NOT NULL DEFAULT 0,
  finding      TEXT NOT NULL DEFAULT '',
  kind         TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'blockage', 'pain', 'difficulty')),
  version      INTEGER NOT NULL DEFAULT 1,
  updated_by   TEXT NOT NULL,
  updated_at   BIGINT NOT NULL,
  PRIMARY KEY (diagnosis_id, item_id)
);

CREATE TABLE diagnosis_files (
  id           INTEGER PRIMARY KEY,
  diagnosis_id INTEGER NOT NULL REFERENCES diagnoses(id) ON DELETE CASCADE,
  item_id      INTEGER REFERENCES checklist_items(id),
  file_id      INTEGER NOT NULL REFERENCES files(id),
  created_at   BIGINT NOT NULL
);
CREATE INDEX diagnosis_files_diag ON diagnosis_files(diagnosis_id, id);

CREATE TABLE actions (
  id            INTEGER PRIMARY KEY,
  programme_id  INTEGER NOT NULL REFERENCES programmes(id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
  cb_unit_id    INTEGER NOT NULL REFERENCES units(id),
  diagnosis_id  INTEGER REFERENCES diagnoses(id),
  item_id       INTEGER REFERENCES checklist_items(id),
  title         TEXT NOT NULL,
  detail        TEXT NOT NULL DEFAULT '',
  method        TEXT NOT NULL,
  owner         TEXT NOT NULL,
  due_date      TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'verified', 'closed')),
  ready         INTEGER NOT NULL DEFAULT 0,
  progress      INTEGER NOT NULL DEFAULT 0,
  progress_note TEXT NOT NULL DEFAULT '',
  version       INTEGER NOT NULL DEFAULT 1,
  closed_at     BIGINT,
  created_by    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX actions_enterprise ON actions(enterprise_id, status);
CREATE INDEX actions_cb ON actions(cb_unit_id, status, due_date);
CREATE INDEX actions_due ON actions(programme_id, status, due_date);

CREATE TABLE action_events (
  id         INTEGER PRIMARY KEY,
  action_id  INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
  event      TEXT NOT NULL,
  progress   INTEGER,
  note       TEXT NOT NULL DEFAULT '',
  username   TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX action_events_action ON action_events(action_id, id);

CREATE TABLE action_files (
  action_id  INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
  file_id    INTEGER NOT NULL REFERENCES files(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (action_id, file_id)
);
