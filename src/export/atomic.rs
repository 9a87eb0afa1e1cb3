//! All-or-nothing output: files are written into a hidden sibling directory, which takes the
//! output directory's place in one atomic step once everything is written. After a failure the
//! output directory is untouched (no partial results) and the staging directory is removed.
//!
//! **Commit.** On Linux one `renameat2(RENAME_EXCHANGE)` swaps the staged directory with the
//! previous output, so at every instant `out/` holds either the previous result or the new
//! one; the previous result, now under the staging name, is then removed. Where the exchange is
//! not available (other systems, some network file systems) the previous output is first
//! renamed to `.lockstep-old-<pid>-<name>`, then the staged directory into place; a crash
//! between the two renames leaves the previous result under that name, and the next run into
//! the same folder puts it back.
//!
//! **Litter.** A run killed before it commits leaves its staging directory behind. Staging and
//! old directories carry the process id of the run that made them; when a run starts it removes
//! those in its output's folder whose process is gone and that belong to the same user (the
//! name, the owner and no live process: only directories a lockstep run of this user left).
//!
//! **Before the analysis.** [`StagedDir::new`] runs first, so that an output that could not be
//! written (a read-only folder, a foreign directory, a mount point) fails in a second, not after
//! the whole analysis. A `--out` that is a symbolic link is followed: the directory it names is
//! the one replaced, and the link stays.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The file whose presence marks a directory as a lockstep output (safe to replace).
pub const MARKER: &str = "manifest.json";

/// Name prefix of staging directories: `.lockstep-staging-<pid>-<random>`.
const STAGING_PREFIX: &str = ".lockstep-staging-";
/// Name prefix of a previous output moved aside during a commit: `.lockstep-old-<pid>-<name>`.
const OLD_PREFIX: &str = ".lockstep-old-";
/// Name prefix of the partial file of a single-file output: `.lockstep-partial-<pid>-<random>`.
const PARTIAL_PREFIX: &str = ".lockstep-partial-";

/// Symbolic links followed from `--out` before giving up (a loop).
const MAX_LINKS: usize = 40;

/// An `io::Error` of the same kind whose message names `path`.
fn at(path: &Path, what: &str, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
}

/// The folder holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` with symbolic links at its end followed (a dangling link gives the path it names).
pub fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current).map_err(|e| at(&current, "cannot read the link", e))?;
                current = if link.is_absolute() {
                    link
                } else {
                    parent_of(&current).join(link)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "{} is a symbolic link that does not lead to a directory (more than {MAX_LINKS} links: a loop?)",
        path.display()
    )))
}

/// Fail early if `target` cannot be an output directory: a file, or a non-empty directory
/// that is not a previous lockstep output. Creates nothing.
pub fn check_target(target: &Path) -> io::Result<()> {
    if target.exists() {
        if !target.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a directory", target.display()),
            ));
        }
        let empty = fs::read_dir(target)
            .map_err(|e| at(target, "cannot read", e))?
            .next()
            .is_none();
        if !empty && !target.join(MARKER).is_file() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} exists and does not look like a lockstep output (no {MARKER}); refusing to replace it — choose another --out",
                    target.display()
                ),
            ));
        }
    }
    Ok(())
}

/// What [`StagedDir::new`] found and tidied in the output's folder.
#[derive(Debug, Default)]
pub struct Tidied {
    /// A previous output put back in place after an interrupted commit.
    pub restored: Option<PathBuf>,
    /// Directories and files left by killed runs, removed.
    pub removed: Vec<PathBuf>,
    /// Leftovers that could not be removed, with the reason.
    pub failed: Vec<(PathBuf, String)>,
}

/// A staging directory that becomes `target` on [`StagedDir::commit`].
pub struct StagedDir {
    staging: TempDir,
    target: PathBuf,
    tidied: Tidied,
}

/// What a commit left behind: the previous output when it could not be removed.
#[derive(Debug, Default)]
pub struct Committed {
    /// The previous output, moved aside but not removed, and why (the next run retries).
    pub leftover: Option<(PathBuf, String)>,
}

impl StagedDir {
    /// Prepare to write `target` (after following symbolic links): put back a previous output
    /// an interrupted commit left aside, remove what killed runs left, refuse a file or a
    /// foreign non-empty directory, and create the staging directory, which proves the folder
    /// is writable. Every error names the path.
    pub fn new(target: &Path) -> io::Result<Self> {
        let target = resolve_links(target)?;
        let parent = parent_of(&target);
        fs::create_dir_all(&parent).map_err(|e| at(&parent, "cannot create the folder", e))?;
        let staging = tempfile::Builder::new()
            .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
            .tempdir_in(&parent)
            .map_err(|e| at(&parent, "cannot write in", e))?;
        let tidied = tidy(&parent, &target, staging.path());
        check_target(&target)?;
        check_replaceable(&target, &parent)?;
        Ok(StagedDir {
            staging,
            target,
            tidied,
        })
    }

    /// Where to write the files now.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// The final directory (symbolic links followed).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// What was tidied in the output's folder before staging.
    pub fn tidied(&self) -> &Tidied {
        &self.tidied
    }

    /// Move the staged files into place, replacing a previous output. On an error the previous
    /// output is in place and the staging directory is removed.
    pub fn commit(self) -> io::Result<Committed> {
        let staged = self.staging.keep();
        let target = &self.target;
        if fs::symlink_metadata(target).is_err() {
            fault("rename")?;
            return fs::rename(&staged, target)
                .map(|()| Committed::default())
                .map_err(|e| {
                    let _ = fs::remove_dir_all(&staged);
                    at(target, &format!("cannot move {} to", staged.display()), e)
                });
        }
        match exchange(&staged, target) {
            // `staged` now holds the previous output.
            Ok(true) => {
                fault("after-exchange")?;
                Ok(remove_previous(&staged))
            }
            Ok(false) => replace_in_two_steps(&staged, target),
            Err(e) => {
                let _ = fs::remove_dir_all(&staged);
                Err(at(
                    target,
                    &format!("cannot exchange {} with", staged.display()),
                    e,
                ))
            }
        }
    }
}

/// Remove a previous output after the commit; a failure only leaves it behind.
fn remove_previous(old: &Path) -> Committed {
    match fault("remove-previous").and_then(|()| fs::remove_dir_all(old)) {
        Ok(()) => Committed::default(),
        Err(e) => Committed {
            leftover: Some((old.to_path_buf(), e.to_string())),
        },
    }
}

/// The fallback commit: the previous output aside, the staged directory into place.
fn replace_in_two_steps(staged: &Path, target: &Path) -> io::Result<Committed> {
    let old = old_path(target);
    if let Err(e) = fault("move-aside").and_then(|()| fs::rename(target, &old)) {
        let _ = fs::remove_dir_all(staged);
        return Err(io::Error::new(
            e.kind(),
            format!(
                "cannot move the previous output {} aside to {}: {e} (it is unchanged)",
                target.display(),
                old.display()
            ),
        ));
    }
    fault("between-renames")?;
    if let Err(e) = fs::rename(staged, target) {
        let state = match fs::rename(&old, target) {
            Ok(()) => "the previous output is back in place".to_string(),
            Err(b) => format!(
                "the previous output is in {} ({b}); the next run puts it back",
                old.display()
            ),
        };
        let _ = fs::remove_dir_all(staged);
        return Err(io::Error::new(
            e.kind(),
            format!(
                "cannot move {} to {}: {e}; {state}",
                staged.display(),
                target.display()
            ),
        ));
    }
    Ok(remove_previous(&old))
}

/// Where the fallback commit moves the previous output of `target`.
fn old_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_of(target).join(format!("{OLD_PREFIX}{}-{name}", std::process::id()))
}

/// Swap `staged` and `target` atomically; `Ok(false)` where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(staged: &Path, target: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    if fault("exchange-unsupported").is_err() {
        return Ok(false);
    }
    fault("exchange")?;
    match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // No renameat2 (old kernels, some sandboxes) or no exchange on this file system.
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Swap `staged` and `target` atomically; `Ok(false)` where the system or file system cannot.
#[cfg(not(target_os = "linux"))]
fn exchange(_staged: &Path, _target: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Fail early when an existing `target` cannot be replaced: a mount point (a rename cannot move
/// it), or a directory whose files this user may not delete (read-only).
fn check_replaceable(target: &Path, parent: &Path) -> io::Result<()> {
    let Ok(meta) = fs::metadata(target) else {
        return Ok(());
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent_meta = fs::metadata(parent).map_err(|e| at(parent, "cannot read", e))?;
        if meta.dev() != parent_meta.dev() {
            return Err(io::Error::other(format!(
                "{} is a mount point; lockstep replaces its output directory by renaming it — choose a folder inside it as --out",
                target.display()
            )));
        }
        use rustix::fs::{Access, access};
        let dirs = std::iter::once(target.to_path_buf()).chain(
            fs::read_dir(target)
                .map_err(|e| at(target, "cannot read", e))?
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path()),
        );
        for dir in dirs {
            access(&dir, Access::WRITE_OK | Access::EXEC_OK).map_err(|e| {
                at(
                    &dir,
                    "cannot replace the previous output: no permission to delete files in",
                    e.into(),
                )
            })?;
        }
    }
    #[cfg(not(unix))]
    {
        let _ = parent;
        if meta.permissions().readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{} is read-only; cannot replace it", target.display()),
            ));
        }
    }
    Ok(())
}

/// What a leftover's name says: its kind, the process that made it, and the rest.
fn parse_leftover(name: &str) -> Option<(&'static str, u32, &str)> {
    [STAGING_PREFIX, OLD_PREFIX, PARTIAL_PREFIX]
        .into_iter()
        .find_map(|prefix| {
            let rest = name.strip_prefix(prefix)?;
            let (pid, rest) = rest.split_once('-')?;
            Some((prefix, pid.parse().ok()?, rest))
        })
}

/// True when process `pid` is running (or cannot be told: then its files are left alone).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    use rustix::io::Errno;
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else {
        return false;
    };
    !matches!(rustix::process::test_kill_process(pid), Err(Errno::SRCH))
}

/// True when process `pid` is running (or cannot be told: then its files are left alone).
#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

/// True when `meta` belongs to the user running this process.
#[cfg(unix)]
fn ours(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == rustix::process::geteuid().as_raw()
}

/// True when `meta` belongs to the user running this process.
#[cfg(not(unix))]
fn ours(_meta: &fs::Metadata) -> bool {
    true
}

/// Put back a previous output of `target` left aside by an interrupted commit, and remove what
/// killed runs left in `parent`: entries with our prefixes, of this user, whose process is gone.
/// `keep` is this run's own staging directory. A directory made by an earlier process with this
/// process's id counts as gone, except for staging directories (this process may have several).
fn tidy(parent: &Path, target: &Path, keep: &Path) -> Tidied {
    let mut tidied = Tidied::default();
    let Ok(entries) = fs::read_dir(parent) else {
        return tidied;
    };
    let own = std::process::id();
    let target_name = target.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut stale = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, pid, rest)) = parse_leftover(&name) else {
            continue;
        };
        let path = entry.path();
        let mine = pid == own && kind != OLD_PREFIX;
        if path == keep || mine || (pid != own && alive(pid)) {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if !ours(&meta) || meta.file_type().is_symlink() {
            continue;
        }
        let restore = kind == OLD_PREFIX
            && Some(rest) == target_name.as_deref()
            && fs::symlink_metadata(target).is_err()
            && path.join(MARKER).is_file();
        if restore {
            match fs::rename(&path, target) {
                Ok(()) => tidied.restored = Some(path),
                Err(e) => tidied.failed.push((path, e.to_string())),
            }
        } else {
            stale.push((path, meta.is_dir()));
        }
    }
    stale.sort();
    for (path, is_dir) in stale {
        let removed = if is_dir {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        match removed {
            Ok(()) => tidied.removed.push(path),
            Err(e) => tidied.failed.push((path, e.to_string())),
        }
    }
    tidied
}

/// A single output file written all-or-nothing: written under a hidden name beside it, then
/// renamed over it. Created before the analysis, so that an unwritable folder fails first;
/// leftovers of killed runs are tidied as for directories.
pub struct StagedFile {
    file: tempfile::NamedTempFile,
    target: PathBuf,
    tidied: Tidied,
}

impl StagedFile {
    /// Prepare to write `target` (after following symbolic links).
    pub fn new(target: &Path) -> io::Result<Self> {
        let target = resolve_links(target)?;
        if target.is_dir() {
            return Err(io::Error::other(format!(
                "{} is a directory; give a file name",
                target.display()
            )));
        }
        let parent = parent_of(&target);
        let file = tempfile::Builder::new()
            .prefix(&format!("{PARTIAL_PREFIX}{}-", std::process::id()))
            .tempfile_in(&parent)
            .map_err(|e| at(&parent, "cannot write in", e))?;
        let tidied = tidy(&parent, &target, file.path());
        Ok(StagedFile { file, target, tidied })
    }

    /// Where to write now.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// What was tidied in the output's folder.
    pub fn tidied(&self) -> &Tidied {
        &self.tidied
    }

    /// Rename the written file over the target.
    pub fn commit(self) -> io::Result<()> {
        self.file
            .persist(&self.target)
            .map(|_| ())
            .map_err(|e| at(&self.target, "cannot write", e.error))
    }
}

/// Test hook (debug builds only): `LOCKSTEP_FAULT=fail:<point>` makes the commit step
/// `<point>` fail with an error, `LOCKSTEP_FAULT=abort:<point>` kills the process there as a
/// crash would (several, comma-separated) — how the tests prove that every failure path leaves
/// a complete output. Release builds ignore it.
fn fault(point: &str) -> io::Result<()> {
    if cfg!(debug_assertions)
        && let Ok(faults) = std::env::var("LOCKSTEP_FAULT")
    {
        for fault in faults.split(',') {
            match fault.split_once(':') {
                Some(("fail", p)) if p == point => {
                    return Err(io::Error::other(format!("injected failure at {point}")));
                }
                Some(("abort", p)) if p == point => std::process::abort(),
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        let s = StagedDir::new(&out).unwrap();
        fs::write(s.path().join(MARKER), "{}").unwrap();
        fs::write(s.path().join("a.csv"), "x").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "x");

        // A failed run (dropped without commit) leaves the previous output alone.
        let s2 = StagedDir::new(&out).unwrap();
        fs::write(s2.path().join("a.csv"), "half").unwrap();
        drop(s2);
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "x");
        assert_eq!(names(root.path()), ["out"]);

        // A second run replaces the first completely, and leaves nothing beside it.
        let s3 = StagedDir::new(&out).unwrap();
        fs::write(s3.path().join(MARKER), "{}").unwrap();
        fs::create_dir(s3.path().join("evidence")).unwrap();
        let committed = s3.commit().unwrap();
        assert!(committed.leftover.is_none());
        assert!(!out.join("a.csv").exists());
        assert!(out.join("evidence").is_dir());
        assert_eq!(names(root.path()), ["out"]);
    }

    #[test]
    fn refuses_to_replace_foreign_directories() {
        let root = tempfile::tempdir().unwrap();
        let foreign = root.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("thesis.tex"), "precious").unwrap();
        assert!(StagedDir::new(&foreign).is_err());
        let file = root.path().join("f");
        fs::write(&file, "x").unwrap();
        assert!(StagedDir::new(&file).is_err());
        // Nothing staged is left behind by a refusal.
        assert_eq!(names(root.path()), ["docs", "f"]);
    }

    #[test]
    fn leftover_names_carry_their_process() {
        assert_eq!(
            parse_leftover(".lockstep-staging-4242-Ab3xYz"),
            Some((STAGING_PREFIX, 4242, "Ab3xYz"))
        );
        assert_eq!(
            parse_leftover(".lockstep-old-7-my-out"),
            Some((OLD_PREFIX, 7, "my-out"))
        );
        assert_eq!(
            parse_leftover(".lockstep-staging-Ab3xYz"),
            None,
            "no pid: not ours to judge"
        );
        assert_eq!(parse_leftover("out"), None);
    }

    /// The id of a process that has exited and been reaped.
    #[cfg(unix)]
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[cfg(unix)]
    #[test]
    fn stale_leftovers_go_live_ones_stay() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        // A process that has exited left a staging dir and a partial file; a running process
        // (this one's parent) owns another staging dir.
        let dead = dead_pid();
        let live = std::os::unix::process::parent_id();
        fs::create_dir(root.path().join(format!(".lockstep-staging-{dead}-aaaaaa"))).unwrap();
        fs::write(
            root.path().join(format!(".lockstep-staging-{dead}-aaaaaa/x")),
            "x",
        )
        .unwrap();
        fs::write(root.path().join(format!(".lockstep-partial-{dead}-bbbbbb")), "x").unwrap();
        fs::create_dir(root.path().join(format!(".lockstep-staging-{live}-cccccc"))).unwrap();
        fs::create_dir(root.path().join(".lockstep-staging-legacy")).unwrap();
        let s = StagedDir::new(&out).unwrap();
        assert_eq!(s.tidied().removed.len(), 2, "{:?}", s.tidied());
        drop(s);
        assert_eq!(
            names(root.path()),
            [
                format!(".lockstep-staging-{live}-cccccc"),
                ".lockstep-staging-legacy".to_string()
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_output_left_aside_is_put_back() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        let dead = dead_pid();
        // A commit died between its two renames: no out/, the previous output aside.
        let aside = root.path().join(format!(".lockstep-old-{dead}-out"));
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join(MARKER), "{\"previous\": true}").unwrap();
        let s = StagedDir::new(&out).unwrap();
        assert_eq!(s.tidied().restored.as_deref(), Some(aside.as_path()));
        drop(s);
        assert_eq!(
            fs::read_to_string(out.join(MARKER)).unwrap(),
            "{\"previous\": true}"
        );
        assert_eq!(names(root.path()), ["out"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_out_is_followed_and_kept() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real");
        let link = root.path().join("link");
        std::os::unix::fs::symlink("real", &link).unwrap();
        // Dangling: the directory it names is created.
        let s = StagedDir::new(&link).unwrap();
        assert_eq!(s.target(), real.as_path());
        fs::write(s.path().join(MARKER), "{}").unwrap();
        s.commit().unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert!(real.join(MARKER).is_file());
        // Existing: replaced through the link; the link stays a link.
        let s = StagedDir::new(&link).unwrap();
        fs::write(s.path().join(MARKER), "{\"second\": 1}").unwrap();
        s.commit().unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(link.join(MARKER)).unwrap(), "{\"second\": 1}");
        // A loop is refused with its name.
        let a = root.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", root.path().join("b")).unwrap();
        let err = StagedDir::new(&a).err().unwrap().to_string();
        assert!(
            err.contains(&a.display().to_string()) && err.contains("loop"),
            "{err}"
        );
    }

    #[test]
    fn a_single_file_is_staged_beside_its_target() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("pairs.csv");
        let f = StagedFile::new(&out).unwrap();
        fs::write(f.path(), "a,b\n").unwrap();
        assert!(!out.exists());
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "a,b\n");
        assert_eq!(names(root.path()), ["pairs.csv"]);
    }
}
