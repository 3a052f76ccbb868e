-- Change counters: a number per kind of data that every write to that data bumps, in the same
-- transaction (triggers, so no writer can forget). Processes keep in-memory copies of rarely
-- changing data (the organisation directory) and reload them when the counter moves.
CREATE TABLE change_counters (
    name   TEXT PRIMARY KEY NOT NULL,
    value  BIGINT NOT NULL
);
INSERT INTO change_counters (name, value) VALUES ('organisation', 0);

CREATE TRIGGER regions_insert_bump AFTER INSERT ON regions
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
CREATE TRIGGER regions_update_bump AFTER UPDATE ON regions
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
CREATE TRIGGER regions_delete_bump AFTER DELETE ON regions
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
CREATE TRIGGER branches_insert_bump AFTER INSERT ON branches
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
CREATE TRIGGER branches_update_bump AFTER UPDATE ON branches
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
CREATE TRIGGER branches_delete_bump AFTER DELETE ON branches
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
CREATE TRIGGER teams_insert_bump AFTER INSERT ON teams
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
CREATE TRIGGER teams_update_bump AFTER UPDATE ON teams
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
CREATE TRIGGER teams_delete_bump AFTER DELETE ON teams
BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'organisation'; END;
