//! Reported pairs are written to an anonymous temporary file as fixed-size little-endian
//! records, so memory stays bounded however many pairs a run reports. The file has no name
//! from the moment it is created (`O_TMPFILE` on Linux, unlinked at once elsewhere), so a run
//! that is killed leaves nothing in the temporary folder; readers read it by position, each
//! from its own offset.

use super::{MAX_WINDOWS, PairRecord};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};

/// The temporary pair file.
pub(crate) struct Spill {
    file: File,
    n_windows: usize,
    len: u64,
}

/// Writes records; `finish` turns it into a readable [`Spill`].
pub(crate) struct SpillWriter {
    out: BufWriter<File>,
    n_windows: usize,
    len: u64,
}

fn record_size(n_windows: usize) -> usize {
    8 + 4 * n_windows + 8 + 4 + 4 + 8 + 8 + 8 + 1
}

impl Spill {
    /// Start a new temporary file for records with `n_windows` counts each.
    pub(crate) fn create(n_windows: usize) -> io::Result<SpillWriter> {
        Self::create_with(tempfile::tempfile()?, n_windows)
    }

    /// [`Spill::create`] in the folder `dir` instead of the system's temporary folder.
    #[cfg(test)]
    pub(crate) fn create_in(dir: &std::path::Path, n_windows: usize) -> io::Result<SpillWriter> {
        Self::create_with(tempfile::tempfile_in(dir)?, n_windows)
    }

    fn create_with(file: File, n_windows: usize) -> io::Result<SpillWriter> {
        Ok(SpillWriter {
            out: BufWriter::with_capacity(1 << 20, file),
            n_windows,
            len: 0,
        })
    }

    /// Read all records from the start.
    pub(crate) fn reader(&self) -> io::Result<PairReader<'_>> {
        Ok(PairReader {
            input: BufReader::with_capacity(
                1 << 20,
                ReadAt {
                    file: &self.file,
                    offset: 0,
                },
            ),
            n_windows: self.n_windows,
            remaining: self.len,
            buf: vec![0; record_size(self.n_windows)],
        })
    }
}

/// Reads a file from its own offset (positional reads), so that several readers of one file
/// handle do not move each other.
struct ReadAt<'a> {
    file: &'a File,
    offset: u64,
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.offset)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.offset)?;
        self.offset += n as u64;
        Ok(n)
    }
}

impl SpillWriter {
    /// Append one record.
    pub(crate) fn write(&mut self, r: &PairRecord) -> io::Result<()> {
        self.out.write_all(&r.a.to_le_bytes())?;
        self.out.write_all(&r.b.to_le_bytes())?;
        for c in &r.counts[..self.n_windows] {
            self.out.write_all(&c.to_le_bytes())?;
        }
        self.out.write_all(&r.idf.to_le_bytes())?;
        self.out.write_all(&r.a_first.to_le_bytes())?;
        self.out.write_all(&r.b_first.to_le_bytes())?;
        self.out.write_all(&r.median_dt.to_le_bytes())?;
        self.out.write_all(&r.expected.to_le_bytes())?;
        self.out.write_all(&r.ln_p.to_le_bytes())?;
        self.out.write_all(&[r.best])?;
        self.len += 1;
        Ok(())
    }

    /// Flush and make the records readable.
    pub(crate) fn finish(self) -> io::Result<Spill> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(Spill {
            file,
            n_windows: self.n_windows,
            len: self.len,
        })
    }
}

/// Iterator over spilled records, in the order written.
pub struct PairReader<'a> {
    input: BufReader<ReadAt<'a>>,
    n_windows: usize,
    remaining: u64,
    buf: Vec<u8>,
}

fn take<const N: usize>(buf: &[u8], at: &mut usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&buf[*at..*at + N]);
    *at += N;
    out
}

impl Iterator for PairReader<'_> {
    type Item = io::Result<PairRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        if let Err(e) = self.input.read_exact(&mut self.buf) {
            return Some(Err(e));
        }
        let b = &self.buf;
        let mut at = 0;
        let a = u32::from_le_bytes(take(b, &mut at));
        let bb = u32::from_le_bytes(take(b, &mut at));
        let mut counts = [0u32; MAX_WINDOWS];
        for c in counts.iter_mut().take(self.n_windows) {
            *c = u32::from_le_bytes(take(b, &mut at));
        }
        let idf = f64::from_le_bytes(take(b, &mut at));
        let a_first = u32::from_le_bytes(take(b, &mut at));
        let b_first = u32::from_le_bytes(take(b, &mut at));
        let median_dt = f64::from_le_bytes(take(b, &mut at));
        let expected = f64::from_le_bytes(take(b, &mut at));
        let ln_p = f64::from_le_bytes(take(b, &mut at));
        let [best] = take::<1>(b, &mut at);
        Some(Ok(PairRecord {
            a,
            b: bb,
            counts,
            idf,
            a_first,
            b_first,
            median_dt,
            expected,
            ln_p,
            best,
        }))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining as usize, Some(self.remaining as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(a: u32, b: u32) -> PairRecord {
        let mut counts = [0u32; MAX_WINDOWS];
        counts[0] = a + b;
        counts[1] = 7;
        PairRecord {
            a,
            b,
            counts,
            idf: 0.5 + a as f64,
            a_first: 1,
            b_first: 2,
            median_dt: 30.0,
            expected: 0.25,
            ln_p: -3.5,
            best: 1,
        }
    }

    #[test]
    fn the_spill_file_has_no_name_and_reads_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Spill::create_in(dir.path(), 2).unwrap();
        for a in 0..1000 {
            w.write(&record(a, a + 1)).unwrap();
        }
        // Written and open, yet nothing in the folder: a killed run leaves no file behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let spill = w.finish().unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        // Two readers at once, each from its own offset.
        let mut first = spill.reader().unwrap();
        let second: Vec<PairRecord> = spill.reader().unwrap().map(Result::unwrap).collect();
        assert_eq!(second.len(), 1000);
        let head = first.next().unwrap().unwrap();
        assert_eq!((head.a, head.b, head.counts[..2].to_vec()), (0, 1, vec![1, 7]));
        for (i, r) in second.iter().enumerate() {
            let want = record(i as u32, i as u32 + 1);
            assert_eq!(
                (r.a, r.b, r.counts, r.idf, r.best),
                (want.a, want.b, want.counts, want.idf, want.best)
            );
        }
        assert_eq!(first.count(), 999);
    }
}
