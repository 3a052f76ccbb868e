-- At most one open dispute per visit and item, whatever the application does.
CREATE UNIQUE INDEX disputes_one_open_idx ON disputes (visit_id, item_key) WHERE status = 'open';
