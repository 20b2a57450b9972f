//! Progress and cancellation of long loops (resampling, permutation tests, E-divisive, CROPS).
//!
//! A long computation takes a `&dyn` [`Progress`]. Workers count finished units on a shared
//! [`Ticker`]; the *calling* thread reports `(done, total)` to the hook about every
//! [`REPORT_EVERY`] and once at the end. When the hook answers [`ControlFlow::Break`], the
//! workers stop at their next unit and the computation returns [`Error::Cancelled`]. Calling
//! the hook on the caller's thread is what lets the Python binding check for Ctrl-C
//! (`PyErr_CheckSignals` only acts on the main thread) and drive a progress bar.
//!
//! [`Silent`] (no reports, no polling) is what every function without a hook uses.

use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{Error, Result};

/// How often the calling thread reports progress while workers run.
pub const REPORT_EVERY: Duration = Duration::from_millis(100);

/// A progress and cancellation hook: `update(done, total)` → continue or stop.
pub trait Progress: Sync {
    /// `done` of `total` units are finished. Return [`ControlFlow::Break`] to cancel.
    fn update(&self, done: u64, total: u64) -> ControlFlow<()>;

    /// `true` when the hook ignores every report, so no polling is needed.
    fn is_silent(&self) -> bool {
        false
    }
}

/// The hook that reports nothing and never cancels.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn update(&self, _: u64, _: u64) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
    fn is_silent(&self) -> bool {
        true
    }
}

impl<F> Progress for F
where
    F: Fn(u64, u64) -> ControlFlow<()> + Sync,
{
    fn update(&self, done: u64, total: u64) -> ControlFlow<()> {
        self(done, total)
    }
}

/// The shared counter of one parallel loop.
#[derive(Debug, Default)]
pub struct Ticker {
    done: AtomicU64,
    cancelled: AtomicBool,
}

impl Ticker {
    /// Adds `units` finished units; returns `false` once the loop is cancelled (stop then).
    pub fn tick(&self, units: u64) -> bool {
        self.done.fetch_add(units, Ordering::Relaxed);
        !self.cancelled.load(Ordering::Relaxed)
    }

    /// Whether the loop was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }
}

/// Runs `job(input, &ticker)` for each input on its own scoped thread; the calling thread
/// reports `(done, total)` to `progress` while they run and once at the end.
///
/// # Errors
/// [`Error::Cancelled`] when `progress` answered `Break` (the outputs are discarded).
pub fn parallel<I, T, J>(
    inputs: Vec<I>,
    total: u64,
    progress: &dyn Progress,
    job: J,
) -> Result<Vec<T>>
where
    I: Send,
    T: Send,
    J: Fn(I, &Ticker) -> T + Sync,
{
    let ticker = Ticker::default();
    let caller = std::thread::current();
    let outputs = std::thread::scope(|scope| {
        let handles: Vec<_> = inputs
            .into_iter()
            .map(|input| {
                let (job, ticker, caller) = (&job, &ticker, caller.clone());
                scope.spawn(move || {
                    let out = job(input, ticker);
                    caller.unpark();
                    out
                })
            })
            .collect();
        if !progress.is_silent() {
            while !handles.iter().all(|h| h.is_finished()) {
                if progress.update(ticker.done(), total).is_break() {
                    ticker.cancelled.store(true, Ordering::Relaxed);
                    break;
                }
                std::thread::park_timeout(REPORT_EVERY);
            }
        }
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<Vec<T>>()
    });
    finish(&ticker, total, progress)?;
    Ok(outputs)
}

/// Reports progress of a sequential loop on the calling thread, at most every
/// [`REPORT_EVERY`]: call [`Sequential::step`] after each unit.
pub struct Sequential<'a> {
    progress: &'a dyn Progress,
    total: u64,
    done: u64,
    last: Instant,
}

impl<'a> Sequential<'a> {
    /// A loop of `total` units.
    pub fn new(progress: &'a dyn Progress, total: u64) -> Self {
        Sequential {
            progress,
            total,
            done: 0,
            last: Instant::now(),
        }
    }

    /// One more unit done.
    ///
    /// # Errors
    /// [`Error::Cancelled`] when the hook asks to stop.
    pub fn step(&mut self) -> Result<()> {
        self.done += 1;
        if self.progress.is_silent() || self.last.elapsed() < REPORT_EVERY {
            return Ok(());
        }
        self.last = Instant::now();
        match self.progress.update(self.done, self.total) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Error::Cancelled),
        }
    }

    /// The final report.
    ///
    /// # Errors
    /// [`Error::Cancelled`] when the hook asks to stop.
    pub fn finish(self) -> Result<()> {
        if self.progress.is_silent() {
            return Ok(());
        }
        match self.progress.update(self.total, self.total) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Error::Cancelled),
        }
    }
}

fn finish(ticker: &Ticker, total: u64, progress: &dyn Progress) -> Result<()> {
    if ticker.is_cancelled() {
        return Err(Error::Cancelled);
    }
    if !progress.is_silent() && progress.update(total, total).is_break() {
        return Err(Error::Cancelled);
    }
    Ok(())
}

/// Checks a user-given count of resamples/permutations against a hard ceiling, so that no
/// input can request an allocation or a run time the machine cannot give.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `name` for 0 or more than `max`.
pub fn check_count(name: &'static str, value: usize, max: usize, why: &str) -> Result<()> {
    if value == 0 {
        return Err(Error::invalid(name, "must be at least 1"));
    }
    if value > max {
        return Err(Error::invalid(
            name,
            format!("must be at most {max} ({why}), got {value}"),
        ));
    }
    Ok(())
}

/// A text progress bar on standard error, drawn only when standard error is a terminal
/// (silent otherwise). Used by the command line.
pub struct StderrBar {
    label: &'static str,
    tty: bool,
    shown: Mutex<bool>,
}

impl StderrBar {
    /// A bar labelled `label` (e.g. `"bootstrap"`).
    pub fn new(label: &'static str) -> Self {
        StderrBar {
            label,
            tty: std::io::stderr().is_terminal(),
            shown: Mutex::new(false),
        }
    }
}

impl Progress for StderrBar {
    fn update(&self, done: u64, total: u64) -> ControlFlow<()> {
        let frac = if total == 0 {
            1.0
        } else {
            done.min(total) as f64 / total as f64
        };
        let filled = (frac * 30.0).round() as usize;
        let mut err = std::io::stderr().lock();
        // Write failures (closed stderr) are ignored: the bar is decoration.
        let _ = write!(
            err,
            "\r{}: [{}{}] {:>3.0} %",
            self.label,
            "#".repeat(filled),
            " ".repeat(30 - filled),
            frac * 100.0
        );
        if done >= total {
            let _ = writeln!(err);
        }
        if let Ok(mut shown) = self.shown.lock() {
            *shown = done < total;
        }
        ControlFlow::Continue(())
    }

    fn is_silent(&self) -> bool {
        !self.tty
    }
}

impl Drop for StderrBar {
    fn drop(&mut self) {
        if self.shown.lock().map(|s| *s).unwrap_or(false) {
            let _ = writeln!(std::io::stderr().lock());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parallel_reports_and_cancels() {
        let seen = Mutex::new(Vec::new());
        let hook = |done: u64, total: u64| {
            seen.lock().unwrap().push((done, total));
            ControlFlow::Continue(())
        };
        let out = parallel(vec![1u64, 2, 3], 6, &hook, |k, t| {
            t.tick(k);
            k * 10
        })
        .unwrap();
        assert_eq!(out, vec![10, 20, 30]);
        assert_eq!(seen.lock().unwrap().last(), Some(&(6, 6)));

        let stop = |_: u64, _: u64| ControlFlow::Break(());
        let r = parallel(vec![(); 2], 1 << 40, &stop, |(), t| {
            let mut n = 0u64;
            while t.tick(1) {
                n += 1;
                std::hint::black_box(n);
            }
        });
        assert!(matches!(r, Err(Error::Cancelled)));
    }

    #[test]
    fn counts_are_bounded() {
        assert!(check_count("n", 0, 10, "x").is_err());
        assert!(check_count("n", 11, 10, "x").is_err());
        assert!(check_count("n", 10, 10, "x").is_ok());
    }
}
