-- Change counters: a number per kind of data that every write to that data bumps, in the same
-- transaction (triggers, so no writer can forget). Processes keep in-memory copies of rarely
-- changing data (the organisation directory) and reload them when the counter moves.
CREATE TABLE change_counters (
    name   TEXT PRIMARY KEY NOT NULL,
    value  BIGINT NOT NULL
);
INSERT INTO change_counters (name, value) VALUES ('organisation', 0);

CREATE FUNCTION bump_organisation_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'organisation';
    RETURN NULL;
END;
$$;
CREATE TRIGGER regions_bump AFTER INSERT OR UPDATE OR DELETE ON regions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_organisation_counter();
CREATE TRIGGER branches_bump AFTER INSERT OR UPDATE OR DELETE ON branches
    FOR EACH STATEMENT EXECUTE FUNCTION bump_organisation_counter();
CREATE TRIGGER teams_bump AFTER INSERT OR UPDATE OR DELETE ON teams
    FOR EACH STATEMENT EXECUTE FUNCTION bump_organisation_counter();
