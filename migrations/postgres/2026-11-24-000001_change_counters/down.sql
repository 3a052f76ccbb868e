DROP TRIGGER teams_bump ON teams;
DROP TRIGGER branches_bump ON branches;
DROP TRIGGER regions_bump ON regions;
DROP FUNCTION bump_organisation_counter();
DROP TABLE change_counters;
