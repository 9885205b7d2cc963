-- 011_stats: what the statistics (store/stats.c, GET /api/v1/stats/...) need to stay
-- well under a second at national scale (100,000 enterprises, 2,000,000 answers).

-- The clause (section) scores of every submitted diagnosis, one row per scored clause:
-- the radar of the dashboard averages these (a few rows per diagnosis) instead of the
-- answers (59 per diagnosis) or the `scores` JSON (which SQL cannot read portably).
-- A clause's score is the mean of its scored items rounded to one decimal, halves up,
-- as core/diagnosis.c computes it; not-applicable and unanswered items are left out and
-- a clause with nothing scored has no row. (WITHOUT ROWID: the primary key holds the
-- score, so the radar's join reads one b-tree.)
CREATE TABLE diagnosis_clause_scores (
  diagnosis_id INTEGER NOT NULL REFERENCES diagnoses(id) ON DELETE CASCADE,
  clause       TEXT NOT NULL,
  score        DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (diagnosis_id, clause)
) WITHOUT ROWID; -- sqlite-only
--pg );

-- The diagnoses submitted before this migration.
INSERT INTO diagnosis_clause_scores (diagnosis_id, clause, score)
SELECT a.diagnosis_id, i.section, ROUND(AVG(a.score), 1)
FROM diagnosis_answers a JOIN diagnoses d ON d.id = a.diagnosis_id
JOIN checklist_items i ON i.id = a.item_id
WHERE d.status = 'submitted' AND a.na = 0 AND a.score IS NOT NULL
GROUP BY a.diagnosis_id, i.section;

-- Kept by the database itself when a diagnosis is submitted (a draft becomes
-- 'submitted', in the same transaction), whichever code submits it: the API, the demo
-- loader or an import. Answers cannot change once submitted (409 locked).
CREATE TRIGGER diagnoses_clause_scores AFTER UPDATE OF status ON diagnoses -- sqlite-only
WHEN NEW.status = 'submitted' AND OLD.status <> 'submitted' BEGIN -- sqlite-only
  INSERT OR REPLACE INTO diagnosis_clause_scores (diagnosis_id, clause, score) -- sqlite-only
  SELECT NEW.id, i.section, ROUND(AVG(a.score), 1) FROM diagnosis_answers a -- sqlite-only
  JOIN checklist_items i ON i.id = a.item_id -- sqlite-only
  WHERE a.diagnosis_id = NEW.id AND a.na = 0 AND a.score IS NOT NULL GROUP BY i.section; -- sqlite-only
END; -- sqlite-only
--pg CREATE FUNCTION diagnoses_clause_scores_fill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM diagnosis_clause_scores WHERE diagnosis_id = NEW.id; INSERT INTO diagnosis_clause_scores (diagnosis_id, clause, score) SELECT NEW.id, i.section, ROUND(AVG(a.score), 1) FROM diagnosis_answers a JOIN checklist_items i ON i.id = a.item_id WHERE a.diagnosis_id = NEW.id AND a.na = 0 AND a.score IS NOT NULL GROUP BY i.section; RETURN NULL; END $$;
--pg CREATE TRIGGER diagnoses_clause_scores AFTER UPDATE OF status ON diagnoses FOR EACH ROW WHEN (NEW.status = 'submitted' AND OLD.status <> 'submitted') EXECUTE FUNCTION diagnoses_clause_scores_fill();

-- Indexes for the statistics' filters and semi-joins.
-- Enterprises by district and industry with their id, for index-only counts. SQLite's
-- enterprises_district_industry already holds the rowid (the id); PostgreSQL's does not.
--pg CREATE INDEX enterprises_stats ON enterprises(district_unit_id, industry, id);
-- Enterprises of a certification body in a programme (cb_staff scope).
CREATE INDEX assignments_programme_cb ON assignments(programme_id, cb_unit_id, enterprise_id);
-- Enterprises holding a live certificate (certified / prior_certified), read from the index alone.
CREATE INDEX certificates_stage ON certificates(prior, status, expiry_date, enterprise_id);
-- Enterprises with actions in a programme, and action counts per status.
CREATE INDEX actions_programme_enterprise ON actions(programme_id, enterprise_id, status, due_date);
-- First and latest submitted on-site diagnosis of each enterprise (window over this order).
CREATE INDEX diagnoses_rounds ON diagnoses(programme_id, kind, status, enterprise_id, round, id);
-- Trained enterprises and person-times (attendance).
CREATE INDEX training_registrations_attended ON training_registrations(attended, enterprise_id);
