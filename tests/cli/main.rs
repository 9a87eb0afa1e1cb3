//! CLI tests on the built `lockstep` binary (one test binary, one module per subject).

mod bad_input;
mod colike;
mod comments;
mod common;
mod console;
mod detect;
mod export;
mod formats;
mod inspect;
mod interaction;
mod quality;
mod report;
mod resolution;
mod robustness;
mod spark;
mod synth_random;
mod tools;
