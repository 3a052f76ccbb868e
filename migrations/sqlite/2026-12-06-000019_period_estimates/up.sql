-- Stable past periods (issue 14, docs/scoring.md §3.7): the estimates of every unit in one
-- period (a month, quarter or ISO week), as a joint fit gave them, with a fingerprint of the
-- period's own input (its approved visits, their answers, overturned items, checklist versions
-- and the branches' places in the organisation). A later fit keeps the stored estimates of a
-- period whose fingerprint did not change, so approving a December visit does not move October.
-- The counters are the generation (organisation.scores) the row was computed at: an older
-- computation never overwrites a newer one.
CREATE TABLE period_estimates (
    period                TEXT PRIMARY KEY NOT NULL,
    fingerprint           TEXT NOT NULL,
    body                  TEXT NOT NULL,
    organisation_counter  BIGINT NOT NULL,
    scores_counter        BIGINT NOT NULL,
    computed_at           TIMESTAMP NOT NULL
);
