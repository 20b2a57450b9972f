//! The `shiftwatch` binary: see [`shiftwatch::cli`].

fn main() -> std::process::ExitCode {
    shiftwatch::cli::run(std::env::args_os())
}
