//! lockstep — find like farms and bot networks in interaction data.
//!
//! The library reads like the pipeline, one module per stage, data flowing one way:
//! [`input`] (load + validate) → [`graph`] (interned ids, CSR both directions) →
//! [`colike`] (projection, weights, significance) → [`comments`] (near-duplicate texts, when
//! the data has them) → [`detect`] (communities, dense and temporal blocks) → [`score`] → [`export`] (tables, GEXF, GraphML, report). [`analysis::analyze`] runs
//! the middle three from one parameter tree ([`params::Params`]); [`run`] loads, analyzes and
//! writes. [`synth`] makes synthetic worlds with planted groups and [`evaluate`] scores a run
//! against their truth. Time and words have one home each: [`clock`] and [`text`], and the
//! words of the interaction (like, follow, comment…) are [`vocab`]'s; seeded randomness is
//! [`rng`].

pub mod analysis;
pub mod clock;
pub mod colike;
pub mod comments;
pub mod detect;
pub mod evaluate;
pub mod export;
pub mod graph;
pub mod input;
pub mod inspect;
pub mod manifest;
pub mod params;
pub mod parts;
pub mod rng;
pub mod run;
pub mod score;
pub mod synth;
pub mod text;
pub mod ui;
pub mod vocab;
