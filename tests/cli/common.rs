//! Helpers shared by the CLI tests.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The binary under test, quiet by default.
pub fn lockstep() -> Command {
    Command::cargo_bin("lockstep").expect("binary built by cargo")
}

/// Write `content` to `dir/name` and return the path.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write test file");
    path
}

/// A small hand-made data set: accounts b1..b4 like posts p1..p6 within seconds of each other
/// (a farm), while o1..o8 like scattered posts hours apart and c0..c17 are the farm posts' own
/// audiences (three accounts per post, hours later, each with other likes of its own).
pub fn farm_csv() -> String {
    let mut rows = vec!["account,post,time,author".to_string()];
    // Farm: 4 bots × 6 posts from 6 different authors, within 30 s of each other.
    for (k, post) in ["p1", "p2", "p3", "p4", "p5", "p6"].iter().enumerate() {
        for (j, bot) in ["b1", "b2", "b3", "b4"].iter().enumerate() {
            let t = 1_700_000_000 + k as i64 * 86_400 + j as i64 * 10;
            rows.push(format!("{bot},{post},{t},author{k}"));
        }
    }
    // Organic: 8 accounts, each liking 6 of 30 other posts at scattered times.
    for a in 0..8 {
        for k in 0..6 {
            let post = (a * 7 + k * 5) % 30;
            let t = 1_700_000_000 + (a * 13 + k * 29) as i64 * 3_600 + a as i64 * 61;
            rows.push(format!("o{a},q{post},{t},author{}", 10 + post % 9));
        }
    }
    // Each farm post also has an audience of its own: three accounts per post, none
    // liking another farm post, each with a life of its own on the other posts.
    for k in 0..6i64 {
        for i in 0..3i64 {
            let c = 3 * k + i;
            let t = 1_700_000_000 + k * 86_400 + (2 + 3 * i) * 3_600;
            rows.push(format!("c{c},p{},{t},author{k}", k + 1));
            for m in 0..5i64 {
                let post = (c * 3 + m * 7) % 30;
                let t = 1_700_000_000 + (c * 11 + m * 31) * 3_600 + c * 47;
                rows.push(format!("c{c},q{post},{t},author{}", 10 + post % 9));
            }
        }
    }
    rows.join("\n") + "\n"
}

/// No time column (`user_id,item`): three bots like six posts one right after the other;
/// twenty other accounts like five posts of their own each.
pub fn logical_time_csv() -> String {
    let mut rows = vec!["user_id,item".to_string()];
    for k in 0..6 {
        rows.push(format!("o{k},x{k}"));
        for bot in ["b1", "b2", "b3"] {
            rows.push(format!("{bot},x{k}"));
        }
    }
    for a in 0..20 {
        for k in 0..5 {
            rows.push(format!("o{a},y{}", a * 5 + k));
        }
    }
    rows.join("\n")
}
