//! The one error type of the input stage: it always names the file, and the line or row and the
//! column where there is one.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole.
    File,
    /// A 1-based line of a text file (CSV, TSV, JSON Lines); line 1 is the header of a CSV.
    Line(u64),
    /// A 1-based data row of a Parquet file.
    Row(u64),
}

/// Bad input: a message that names the file, and the line/row and column where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file the problem is in.
    pub path: PathBuf,
    /// Where in the file.
    pub place: Place,
    /// The column (header name), when the problem is in one cell.
    pub column: Option<String>,
    /// What is wrong, and where useful what to do about it.
    pub message: String,
}

impl InputError {
    /// A problem with the file as a whole.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        InputError {
            path: path.to_path_buf(),
            place: Place::File,
            column: None,
            message: message.into(),
        }
    }

    /// A problem at a place in the file, optionally in one column.
    pub fn at(path: &Path, place: Place, column: Option<&str>, message: impl Into<String>) -> Self {
        InputError {
            path: path.to_path_buf(),
            place,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        match self.place {
            Place::File => {}
            Place::Line(n) => write!(f, ", line {n}")?,
            Place::Row(n) => write!(f, ", row {n}")?,
        }
        if let Some(column) = &self.column {
            write!(f, ", column {}", crate::text::quote_for_terminal(column))?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InputError {}
