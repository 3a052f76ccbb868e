DROP INDEX access_tokens_user_idx;
DROP TABLE access_tokens;
