//! CLI tests on the built `lockstep` binary (one test binary, one module per subject).

mod bad_input;
mod colike;
mod common;
mod detect;
mod export;
mod inspect;
mod interaction;
mod quality;
mod report;
mod resolution;
mod synth_random;
mod tools;
