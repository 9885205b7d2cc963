-- 010_cases: at most one typical case (典型案例) per enterprise and programme, so two
-- officers drafting at once cannot both create one (the second gets 409).
CREATE UNIQUE INDEX cases_enterprise ON cases(programme_id, enterprise_id);
