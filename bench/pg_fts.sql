-- The PostgreSQL full-text baseline: what a team would build instead of a search engine, on the
-- same rows the jobs index holds (open, unexpired jobs). bench/run.py creates
-- bench_fts.skill_text (each skill's labels in the three scripts and its aliases, as the index's
-- skills_text) and bench_fts.rates (config/default.toml [rates]) first, then times this file.
--
-- One denormalised row per open job: the filters as columns, a weighted English tsvector (title
-- A, skills B, employer and description C) with a GIN index, and the same text in one column
-- with a pg_trgm GIN index for Chinese, which the english configuration cannot segment.

CREATE TABLE bench_fts.job_docs AS
SELECT
    d.*,
    setweight(to_tsvector('english', d.title), 'A')
        || setweight(to_tsvector('english', d.skills_text), 'B')
        || setweight(to_tsvector('english', d.employer_name || ' ' || d.description), 'C') AS tsv,
    d.title || ' ' || d.skills_text || ' ' || d.employer_name || ' ' || d.description AS alltext
FROM (
SELECT
    j.id,
    coalesce(l.jurisdiction, e.jurisdiction) AS jurisdiction,
    j.location_id,
    j.employment_type,
    j.sponsorship,
    coalesce(j.expires_at, timestamp '2200-01-01') AS expires_at,
    floor(
        CASE j.salary_period
            WHEN 'hour' THEN j.salary_max * (40.0 * 52.0 / 12.0)
            WHEN 'year' THEN j.salary_max / 12.0
            ELSE j.salary_max
        END * r.rate
    )::bigint AS salary_max_monthly,
    coalesce(s.skill_ids, '{}') AS skill_ids,
    j.title,
    coalesce(s.words, '') AS skills_text,
    e.name AS employer_name,
    j.description
FROM jobs j
JOIN employers e ON e.id = j.employer_id
LEFT JOIN locations l ON l.id = j.location_id
LEFT JOIN bench_fts.rates r ON r.currency = j.salary_currency
LEFT JOIN LATERAL (
    SELECT array_agg(js.skill_id ORDER BY js.skill_id) AS skill_ids, string_agg(st.words, ' ') AS words
    FROM job_skills js
    LEFT JOIN bench_fts.skill_text st ON st.skill_id = js.skill_id
    WHERE js.job_id = j.id
) s ON true
WHERE j.status = 'open' AND (j.expires_at IS NULL OR j.expires_at > (now() AT TIME ZONE 'utc'))
) d;

ALTER TABLE bench_fts.job_docs ADD PRIMARY KEY (id);
CREATE INDEX job_docs_tsv ON bench_fts.job_docs USING gin (tsv);
CREATE INDEX job_docs_trgm ON bench_fts.job_docs USING gin (alltext gin_trgm_ops);
CREATE INDEX job_docs_skills ON bench_fts.job_docs USING gin (skill_ids);
CREATE INDEX job_docs_jurisdiction ON bench_fts.job_docs (jurisdiction);
CREATE INDEX job_docs_employment_type ON bench_fts.job_docs (employment_type);
CREATE INDEX job_docs_salary ON bench_fts.job_docs (salary_max_monthly);
CREATE INDEX job_docs_expires ON bench_fts.job_docs (expires_at);
ANALYZE bench_fts.job_docs;
