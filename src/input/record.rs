//! The cap on the size of one record, the same in every reader (a CSV/TSV row, a JSON line, a
//! Parquet cell): past it a reader stops with an error naming the file and the line or row,
//! so memory stays bounded whatever a file holds.

use std::io::{self, Read};

/// The most bytes one record may hold: 16 MiB.
///
/// Why this number: a reader holds a whole record in memory, so without a cap a single line
/// of a gzip bomb (a few MB on disk, gigabytes unpacked) takes all the memory before any error
/// can be given. No interaction row comes near 16 MiB: its longest field is a post's or a
/// comment's text, thousands of characters (an X long post: 25 000). The CSV reader holds at
/// most about nine times this (one 8-byte offset per field) for a row of nothing but delimiters.
pub const MAX_RECORD_BYTES: u64 = 16 << 20;

/// The message for a record over the cap; `what` is "row", "line" or "value".
pub(crate) fn too_long(what: &str) -> String {
    format!(
        "this {what} is longer than {} MiB, the most one record may hold (a broken or hostile file? nothing was read past it)",
        MAX_RECORD_BYTES >> 20
    )
}

/// The error a [`RecordCap`] returns.
#[derive(Debug)]
pub(crate) struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("record too long")
    }
}

impl std::error::Error for RecordTooLong {}

/// True when `e` came from a [`RecordCap`].
pub(crate) fn is_too_long(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<RecordTooLong>())
}

/// Passes bytes through until more than [`MAX_RECORD_BYTES`] have passed since the last
/// [`RecordCap::mark`] (the start of the current record), then fails with [`RecordTooLong`].
pub(crate) struct RecordCap<R> {
    inner: R,
    passed: u64,
    record_start: u64,
}

impl<R> RecordCap<R> {
    pub(crate) fn new(inner: R) -> Self {
        RecordCap {
            inner,
            passed: 0,
            record_start: 0,
        }
    }

    /// A record starts at byte `offset` of the stream (bytes a caller has buffered but not
    /// parsed yet count towards the record).
    pub(crate) fn mark(&mut self, offset: u64) {
        self.record_start = offset;
    }
}

impl<R: Read> Read for RecordCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.passed.saturating_sub(self.record_start) > MAX_RECORD_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RecordTooLong));
        }
        let n = self.inner.read(buf)?;
        self.passed += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_counts_from_the_last_mark() {
        let mut cap = RecordCap::new(io::repeat(b'0'));
        let mut buf = vec![0u8; 1 << 20];
        let mut read = 0u64;
        let err = loop {
            match cap.read(&mut buf) {
                Ok(n) => read += n as u64,
                Err(e) => break e,
            }
        };
        assert!(is_too_long(&err));
        assert_eq!(
            read,
            MAX_RECORD_BYTES + (1 << 20),
            "stops one buffer past the cap"
        );
        // A new record starts: reading goes on.
        cap.mark(read);
        assert_eq!(cap.read(&mut buf).unwrap(), 1 << 20);
        assert!(!is_too_long(&io::Error::other("other")));
    }
}
