//! The `lockstep` binary: parse arguments, set up threads, call the library, map errors to
//! exit codes (2 for bad input or usage, 1 for failures writing output).

mod cli;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn threads(command: &Command) -> Option<usize> {
    match command {
        Command::Detect(a) => a.run.threads,
        Command::Colike(a) => a.run.threads,
        Command::Inspect(a) => a.run.threads,
        Command::Synth(a) => a.run.threads,
        Command::Evaluate(_) => None,
        Command::Partial(a) => a.threads,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = threads(&cli.command)
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
    {
        eprintln!("lockstep: error: cannot start {n} threads: {e}");
        return ExitCode::from(1);
    }
    let result = match cli.command {
        Command::Detect(a) => cli::detect::run(a),
        Command::Colike(a) => cli::colike::run(a),
        Command::Inspect(a) => cli::inspect::run(a),
        Command::Synth(a) => cli::synth::run(a),
        Command::Evaluate(a) => cli::evaluate::run(a),
        Command::Partial(a) => cli::partial::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lockstep: error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
