//! External programs some tests read our files with (xmllint, Python, Node, Chromium).
//!
//! `.ci/run` installs them and sets `LOCKSTEP_EXTERNAL_TOOLS=require`, so in CI a missing tool
//! fails the test. On a developer machine without them the test says so on stderr and returns
//! early.

use std::path::PathBuf;
use std::process::Command;

fn required() -> bool {
    std::env::var("LOCKSTEP_EXTERNAL_TOOLS").is_ok_and(|v| v == "require")
}

fn missing(what: &str) {
    if required() {
        panic!("{what} is required (LOCKSTEP_EXTERNAL_TOOLS=require) but missing; .ci/run installs it");
    }
    eprintln!("note: {what} not installed: this check did not run (.ci/run installs it)");
}

/// The path of program `name` on PATH, if installed.
pub fn program(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        missing(name);
    }
    found
}

/// True if `python3` can import every module in `modules`.
pub fn python_with(modules: &[&str]) -> bool {
    let code = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let ok = Command::new("python3")
        .args(["-c", &code])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing(&format!("python3 with {}", modules.join(", ")));
    }
    ok
}

/// True if `node` can require every module in `modules` (from NODE_PATH).
pub fn node_with(modules: &[&str]) -> bool {
    let code = modules
        .iter()
        .map(|m| format!("require('{m}');"))
        .collect::<String>();
    let ok = Command::new("node")
        .args(["-e", &code])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing(&format!("node with {} (NODE_PATH)", modules.join(", ")));
    }
    ok
}
