//! All-or-nothing output: files are written into a hidden sibling directory, which replaces
//! the output directory in one rename once everything is written. After a failure the output
//! directory is untouched (no partial results); the staging directory is removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The file whose presence marks a directory as a lockstep output (safe to replace).
pub const MARKER: &str = "manifest.json";

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
        let empty = fs::read_dir(target)?.next().is_none();
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

/// A staging directory that becomes `target` on [`StagedDir::commit`].
pub struct StagedDir {
    staging: TempDir,
    target: PathBuf,
}

impl StagedDir {
    /// Prepare to write `target`. Refuses to replace an existing non-empty directory that is
    /// not a lockstep output, or a file.
    pub fn new(target: &Path) -> io::Result<Self> {
        check_target(target)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let staging = tempfile::Builder::new()
            .prefix(".lockstep-staging-")
            .tempdir_in(&parent)?;
        Ok(StagedDir {
            staging,
            target: target.to_path_buf(),
        })
    }

    /// Where to write the files now.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// The final directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Move the staged files into place, replacing a previous output.
    pub fn commit(self) -> io::Result<()> {
        let parent = self
            .staging
            .path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let staged = self.staging.keep();
        if self.target.exists() {
            let old = tempfile::Builder::new()
                .prefix(".lockstep-old-")
                .tempdir_in(&parent)?
                .keep();
            fs::remove_dir(&old)?;
            fs::rename(&self.target, &old)?;
            if let Err(e) = fs::rename(&staged, &self.target) {
                // Put the previous output back; report the failure.
                let _ = fs::rename(&old, &self.target);
                let _ = fs::remove_dir_all(&staged);
                return Err(e);
            }
            fs::remove_dir_all(&old)?;
        } else if let Err(e) = fs::rename(&staged, &self.target) {
            let _ = fs::remove_dir_all(&staged);
            return Err(e);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let leftovers: Vec<_> = fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);

        // A second run replaces the first completely.
        let s3 = StagedDir::new(&out).unwrap();
        fs::write(s3.path().join(MARKER), "{}").unwrap();
        s3.commit().unwrap();
        assert!(!out.join("a.csv").exists());
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
    }
}
