//! Proof-of-visit plausibility: explainable flags on a submitted visit.
