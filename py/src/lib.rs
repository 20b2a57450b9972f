//! `shiftwatch._native`: thin PyO3 wrappers over the `shiftwatch` crate. The Python package
//! `shiftwatch` (in `py/python/`) adds input conversion, scipy-compatible results and plots.

use pyo3::prelude::*;

mod analyze;
mod arrays;
mod batch;
mod compare;
mod detect;
mod dist;
mod disttests;
mod errors;
mod io;
mod progress;
mod prometheus;
mod rank;
mod resample;
mod topy;

/// Runs the command line with `argv` (including the program name); returns the exit code.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    let code = py.detach(|| shiftwatch::cli::run(argv));
    // ExitCode is opaque; map through its Debug form is unstable, so compare with known codes.
    exit_code_to_i32(code)
}

fn exit_code_to_i32(code: std::process::ExitCode) -> i32 {
    for candidate in 0u8..=2 {
        if code == std::process::ExitCode::from(candidate) {
            return i32::from(candidate);
        }
    }
    2
}

/// The compiled core of shiftwatch.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    analyze::register(m)?;
    compare::register(m)?;
    detect::register(m)?;
    dist::register(m)?;
    disttests::register(m)?;
    rank::register(m)?;
    resample::register(m)?;
    io::register(m)?;
    prometheus::register(m)?;
    Ok(())
}
