DROP INDEX disputes_one_open_idx;
