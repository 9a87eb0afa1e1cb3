//! Reported pairs are written to an anonymous temporary file as fixed-size little-endian
//! records, so memory stays bounded however many pairs a run reports.

use super::{MAX_WINDOWS, PairRecord};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use tempfile::NamedTempFile;

/// The temporary pair file.
pub(crate) struct Spill {
    file: NamedTempFile,
    n_windows: usize,
    len: u64,
}

/// Writes records; `finish` turns it into a readable [`Spill`].
pub(crate) struct SpillWriter {
    out: BufWriter<File>,
    file: NamedTempFile,
    n_windows: usize,
    len: u64,
}

fn record_size(n_windows: usize) -> usize {
    8 + 4 * n_windows + 8 + 4 + 4 + 8 + 8 + 8 + 1
}

impl Spill {
    /// Start a new temporary file for records with `n_windows` counts each.
    pub(crate) fn create(n_windows: usize) -> io::Result<SpillWriter> {
        let file = NamedTempFile::new()?;
        let out = BufWriter::with_capacity(1 << 20, file.reopen()?);
        Ok(SpillWriter {
            out,
            file,
            n_windows,
            len: 0,
        })
    }

    /// Read all records from the start.
    pub(crate) fn reader(&self) -> io::Result<PairReader<'_>> {
        Ok(PairReader {
            input: BufReader::with_capacity(1 << 20, self.file.reopen()?),
            n_windows: self.n_windows,
            remaining: self.len,
            buf: vec![0; record_size(self.n_windows)],
            _spill: std::marker::PhantomData,
        })
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
    pub(crate) fn finish(mut self) -> io::Result<Spill> {
        self.out.flush()?;
        Ok(Spill {
            file: self.file,
            n_windows: self.n_windows,
            len: self.len,
        })
    }
}

/// Iterator over spilled records, in the order written.
pub struct PairReader<'a> {
    input: BufReader<File>,
    n_windows: usize,
    remaining: u64,
    buf: Vec<u8>,
    _spill: std::marker::PhantomData<&'a ()>,
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
