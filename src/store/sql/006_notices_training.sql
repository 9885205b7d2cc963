-- 006_notices_training: notices with audiences, attachments and read marks; training
-- sessions, registrations and attendance.

CREATE TABLE notices (
  id                        INTEGER PRIMARY KEY,
  title                     TEXT NOT NULL,
  body                      TEXT NOT NULL,
  audience                  TEXT NOT NULL CHECK (audience IN ('public', 'all', 'role', 'district')),
  audience_role             TEXT,
  audience_district_unit_id INTEGER REFERENCES units(id),
  publish_date              TEXT NOT NULL,
  publisher_unit_id         INTEGER NOT NULL REFERENCES units(id),
  author                    TEXT NOT NULL,
  withdrawn                 INTEGER NOT NULL DEFAULT 0,
  created_at                BIGINT NOT NULL,
  updated_at                BIGINT NOT NULL
);
CREATE INDEX notices_publish ON notices(withdrawn, publish_date);
CREATE INDEX notices_audience ON notices(audience, publish_date);

CREATE TABLE notice_files (
  notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  file_id   INTEGER NOT NULL REFERENCES files(id),
  PRIMARY KEY (notice_id, file_id)
);

CREATE TABLE notice_reads (
  notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  read_at   BIGINT NOT NULL,
  PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX notice_reads_user ON notice_reads(user_id);

CREATE TABLE trainings (
  id                INTEGER PRIMARY KEY,
  title             TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('online', 'offline', 'small_class')),
  industry          TEXT NOT NULL DEFAULT '',
  organiser_unit_id INTEGER NOT NULL REFERENCES units(id),
  starts_at         TEXT NOT NULL,
  ends_at           TEXT NOT NULL,
  place             TEXT NOT NULL DEFAULT '',
  link              TEXT NOT NULL DEFAULT '',
  capacity          INTEGER NOT NULL,
  materials         TEXT NOT NULL DEFAULT '',
  checkin_token     TEXT NOT NULL UNIQUE,
  created_by        TEXT NOT NULL,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX trainings_starts ON trainings(starts_at);
CREATE INDEX trainings_kind ON trainings(kind, starts_at);
CREATE INDEX trainings_industry ON trainings(industry, starts_at);
CREATE INDEX trainings_organiser ON trainings(organiser_unit_id);

CREATE TABLE training_registrations (
  id            INTEGER PRIMARY KEY,
  training_id   INTEGER NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
  enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
  name          TEXT NOT NULL,
  post          TEXT NOT NULL DEFAULT '',
  phone         TEXT NOT NULL,
  attended      INTEGER NOT NULL DEFAULT 0,
  checked_in_at BIGINT,
  registered_by TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  UNIQUE (training_id, enterprise_id, name, phone)
);
CREATE INDEX training_registrations_enterprise ON training_registrations(enterprise_id);
