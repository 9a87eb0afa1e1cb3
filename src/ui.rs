//! Diagnostics and progress bars on stderr.
//!
//! Results go to files or stdout; everything a run says about itself (which columns it chose,
//! how many duplicates it merged, progress) goes through a [`Ui`] to stderr, so library code
//! never prints directly and tests can stay silent.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// Where notes and progress bars go: stderr, or nowhere with `--quiet`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    quiet: bool,
    /// Notes held back (a stage says what its steps found in one line of its own).
    no_notes: bool,
}

impl Ui {
    /// A Ui that prints notes and draws progress bars on stderr (bars only on a terminal).
    pub fn stderr() -> Self {
        Ui {
            quiet: false,
            no_notes: false,
        }
    }

    /// A Ui that says nothing: for `--quiet` and for tests.
    pub fn silent() -> Self {
        Ui {
            quiet: true,
            no_notes: false,
        }
    }

    /// This Ui without its notes (warnings and progress bars stay): for the steps of a stage
    /// whose summary line says what they found, so that the console reads one account of it.
    pub fn without_notes(self) -> Self {
        Ui {
            no_notes: true,
            ..self
        }
    }

    /// True when notes are suppressed.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Print one diagnostic line on stderr (unless quiet).
    pub fn note(&self, message: impl AsRef<str>) {
        if !self.quiet && !self.no_notes {
            eprintln!("lockstep: {}", message.as_ref());
        }
    }

    /// Print a warning on stderr (unless quiet).
    pub fn warn(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("lockstep: warning: {}", message.as_ref());
        }
    }

    /// A progress bar counting `len` items of `unit`; hidden when quiet or stderr is no terminal.
    pub fn bar(&self, len: u64, message: &str, unit: &str) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        let template =
            format!("{{spinner}} {{msg:<18}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{eta}})");
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(message.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// A spinner with the time elapsed, for a stage that has nothing to count; hidden when
    /// quiet or stderr is no terminal. Finish it with `finish_and_clear`.
    pub fn spinner(&self, message: &str) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} {msg:<18} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(message.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// Run `work` under a [`Ui::spinner`] reading `message`.
    pub fn stage<T>(&self, message: &str, work: impl FnOnce() -> T) -> T {
        let spinner = self.spinner(message);
        let out = work();
        spinner.finish_and_clear();
        out
    }

    /// A progress bar counting bytes read.
    pub fn byte_bar(&self, len: u64, message: &str) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} {msg:<18} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(message.to_string());
        bar
    }
}
