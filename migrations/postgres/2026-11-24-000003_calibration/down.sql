ALTER TABLE assignments DROP COLUMN calibration;
