//! A deterministic generator of realistic collection portfolios, for the demo, simulations and benchmarks.
