DROP INDEX password_links_user_idx;
DROP TABLE password_links;
