//! Writing a world: likes.csv, truth.csv, posts.csv, params.json, each through a temporary
//! file in the target directory renamed into place once all four are complete.

use super::{Interaction, SynthParams, TimePrecision, World, WorldStats};
use crate::input::time::format_ms;
use rayon::prelude::*;
use serde::Serialize;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use tempfile::NamedTempFile;

/// Rows formatted per parallel task.
const ROWS_PER_TASK: usize = 1 << 16;
/// Rows formatted before writing (bounds the memory of the formatted text).
const ROWS_PER_ROUND: usize = 1 << 21;

/// Days from 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn push2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// Appends the RFC 3339 UTC form of `ms`, the same text as
/// [`format_ms`](crate::input::time::format_ms) (fast path for whole seconds in years 0–9999).
fn push_time(out: &mut Vec<u8>, ms: i64) {
    if ms % 1000 == 0 {
        let secs = ms / 1000;
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        if (0..=9999).contains(&y) {
            let y = y as u32;
            push2(out, y / 100);
            push2(out, y % 100);
            out.push(b'-');
            push2(out, m);
            out.push(b'-');
            push2(out, d);
            out.push(b'T');
            push2(out, sod / 3600);
            out.push(b':');
            push2(out, sod / 60 % 60);
            out.push(b':');
            push2(out, sod % 60);
            out.push(b'Z');
            return;
        }
    }
    out.extend_from_slice(format_ms(ms).as_bytes());
}

/// Appends `ms` as written with `precision`: RFC 3339, rounded down to the hour, or the UTC
/// date alone (`2024-03-05`).
fn push_time_as(out: &mut Vec<u8>, ms: i64, precision: TimePrecision) {
    match precision {
        TimePrecision::Second => push_time(out, ms),
        TimePrecision::Hour => push_time(out, ms.div_euclid(3_600_000) * 3_600_000),
        TimePrecision::Day => {
            let day = ms.div_euclid(86_400_000);
            let mut v = Vec::with_capacity(24);
            push_time(&mut v, day * 86_400_000);
            // "YYYY-MM-DDT00:00:00Z" → "YYYY-MM-DD".
            let date = v.iter().position(|&b| b == b'T').unwrap_or(v.len());
            out.extend_from_slice(&v[..date]);
        }
    }
}

/// RFC 3339 UTC text of a time in ms (whole seconds print without a fraction).
pub fn format_time_secs(ms: i64) -> String {
    let mut v = Vec::with_capacity(24);
    push_time(&mut v, ms);
    String::from_utf8(v).unwrap_or_default()
}

/// Writes `body` to a new temporary file in `dir`, to be renamed to `name` later.
fn temp(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut BufWriter<&mut NamedTempFile>) -> io::Result<()>,
) -> io::Result<(NamedTempFile, String)> {
    let mut f = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = BufWriter::with_capacity(1 << 20, &mut f);
        body(&mut w)?;
        w.flush()?;
    }
    // Temporary files are private (0600); the result is an ordinary readable file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.as_file().set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    f.as_file().sync_all()?;
    Ok((f, name.to_string()))
}

#[derive(Serialize)]
struct ParamsFile<'a> {
    generator: &'static str,
    version: &'static str,
    preset: &'a str,
    seed: u64,
    scale: f64,
    start: String,
    end: String,
    params: &'a SynthParams,
    stats: &'a WorldStats,
}

/// The files a world is written to, by interaction: the rows, and the truth about the items.
pub fn file_names(interaction: Interaction) -> (&'static str, &'static str) {
    match interaction {
        Interaction::Like => ("likes.csv", "posts.csv"),
        Interaction::Follow => ("follows.csv", "followed.csv"),
    }
}

/// Writes `DIR/likes.csv` (account,post,time,author; sorted by time), `DIR/truth.csv`
/// (account_id,role,group), `DIR/posts.csv` (post_id,author,published,kind; posts with at
/// least one like, by publication time) and `DIR/params.json` (preset, seed, every parameter,
/// summary counts). Creates DIR if needed. Files appear only once all four are written.
///
/// A follow world (`params.interaction` = follow) writes `follows.csv`
/// (follower,followed,time) and `followed.csv` (account_id,kind: every followed account)
/// instead of likes.csv and posts.csv. With `params.no_times` the time column is left out
/// (rows stay in time order); `date_only_share` and `hour_rounded_share` of the rows are
/// written with less precise times.
pub fn write(world: &World, params: &SynthParams, seed: u64, dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let acc = &world.account_names;
    let posts = &world.post_names;
    let follow = params.interaction == Interaction::Follow;
    let times = !params.no_times;
    let (rows_name, items_name) = file_names(params.interaction);

    let likes = temp(dir, rows_name, |w| {
        let header: &[u8] = match (follow, times) {
            (false, true) => b"account,post,time,author\n",
            (false, false) => b"account,post,author\n",
            (true, true) => b"follower,followed,time\n",
            (true, false) => b"follower,followed\n",
        };
        w.write_all(header)?;
        for round in world.likes.chunks(ROWS_PER_ROUND) {
            let bufs: Vec<Vec<u8>> = round
                .par_chunks(ROWS_PER_TASK)
                .map(|rows| {
                    let mut out = Vec::with_capacity(rows.len() * 50);
                    for l in rows {
                        out.extend_from_slice(acc[l.account as usize].as_bytes());
                        out.push(b',');
                        if follow {
                            out.extend_from_slice(acc[l.author as usize].as_bytes());
                        } else {
                            out.extend_from_slice(posts[l.post as usize].as_bytes());
                        }
                        if times {
                            out.push(b',');
                            push_time_as(&mut out, l.time_ms, l.precision);
                        }
                        if !follow {
                            out.push(b',');
                            out.extend_from_slice(acc[l.author as usize].as_bytes());
                        }
                        out.push(b'\n');
                    }
                    out
                })
                .collect();
            for b in bufs {
                w.write_all(&b)?;
            }
        }
        Ok(())
    })?;

    let truth = temp(dir, "truth.csv", |w| {
        w.write_all(b"account_id,role,group\n")?;
        for r in &world.truth {
            writeln!(w, "{},{},{}", r.account_id, r.role, r.group)?;
        }
        Ok(())
    })?;

    let posts_file = temp(dir, items_name, |w| {
        if follow {
            // One item per followed account, by account id.
            w.write_all(b"account_id,kind\n")?;
            let mut order: Vec<u32> = (0..world.posts.len() as u32)
                .filter(|&i| world.posts[i as usize].likes > 0)
                .collect();
            order.sort_unstable_by_key(|&i| world.posts[i as usize].author);
            for i in order {
                let x = &world.posts[i as usize];
                writeln!(w, "{},{}", acc[x.author as usize], x.kind.name())?;
            }
            return Ok(());
        }
        w.write_all(b"post_id,author,published,kind\n")?;
        let mut order: Vec<u32> = (0..world.posts.len() as u32)
            .filter(|&i| world.posts[i as usize].likes > 0)
            .collect();
        order.sort_unstable_by(|&a, &b| {
            let (x, y) = (&world.posts[a as usize], &world.posts[b as usize]);
            x.published_ms
                .cmp(&y.published_ms)
                .then_with(|| posts[a as usize].cmp(&posts[b as usize]))
        });
        let mut line = Vec::with_capacity(64);
        for i in order {
            let x = &world.posts[i as usize];
            line.clear();
            line.extend_from_slice(posts[i as usize].as_bytes());
            line.push(b',');
            line.extend_from_slice(acc[x.author as usize].as_bytes());
            line.push(b',');
            push_time(&mut line, x.published_ms);
            line.push(b',');
            line.extend_from_slice(x.kind.name().as_bytes());
            line.push(b'\n');
            w.write_all(&line)?;
        }
        Ok(())
    })?;

    let params_file = temp(dir, "params.json", |w| {
        let pf = ParamsFile {
            generator: "lockstep synth",
            version: env!("CARGO_PKG_VERSION"),
            preset: &params.preset,
            seed,
            scale: params.scale,
            start: format_time_secs(world.start_ms),
            end: format_time_secs(world.end_ms),
            params,
            stats: &world.stats,
        };
        serde_json::to_writer_pretty(&mut *w, &pf).map_err(io::Error::other)?;
        w.write_all(b"\n")
    })?;

    for (f, name) in [likes, truth, posts_file, params_file] {
        f.persist(dir.join(&name)).map_err(|e| e.error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::sample::stream;
    use rand::RngExt;

    #[test]
    fn fast_time_matches_format_ms() {
        let mut rng = stream(3, 3, 3);
        for ms in [
            0i64,
            86_400_000,
            951_782_400_000,
            1_709_251_200_000,
            4_102_444_799_000,
        ] {
            assert_eq!(format_time_secs(ms), format_ms(ms));
        }
        for _ in 0..20_000 {
            let s: i64 = rng.random_range(-2_000_000_000i64..40_000_000_000);
            let ms = s * 1000;
            assert_eq!(format_time_secs(ms), format_ms(ms), "{ms}");
        }
        assert_eq!(format_time_secs(1_500), format_ms(1_500));
    }
}
