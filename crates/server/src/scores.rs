//! Scores computed by `sirr-scoring` over approved visits, stored for every process and kept
//! in memory per generation of the change counters.
