-- 002_jobs: claims of scheduled job runs, one row per (job, period); the
-- primary key lets exactly one server run each period.
CREATE TABLE job_runs (
  job         TEXT NOT NULL,
  period      BIGINT NOT NULL,
  server      TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  finished_at BIGINT,
  result      TEXT,
  PRIMARY KEY (job, period)
);
