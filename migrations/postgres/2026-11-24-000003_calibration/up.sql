-- Calibration: assignments sharing a value rate the same service encounter (several shoppers on
-- one visit, or one recorded call); they feed inter-rater agreement and count once in scores.
ALTER TABLE assignments ADD COLUMN calibration TEXT;
