DROP TABLE period_estimates;
