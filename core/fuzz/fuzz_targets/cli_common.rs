//! Shared by the CLI fuzz targets: bytes → (arguments, input file), then `cli::run`.
//!
//! Layout of a fuzz input: argument bytes, a NUL, file bytes. Arguments are split on `\n`
//! (each may be any UTF-8-lossy text, e.g. `--min-size`, `18446744073709551615`); the file is
//! written to a per-process scratch path that is passed as the command's input. Any panic is a
//! bug; the exit code must be 0, 1 or 2. Run with `-close_fd_mask=3` (output is not checked).

use std::path::PathBuf;
use std::process::ExitCode;

pub fn run_command(command: &str, data: &[u8]) {
    let (args, file) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let path: PathBuf = std::env::temp_dir().join(format!(
        "shiftwatch-fuzz-{command}-{}.csv",
        std::process::id()
    ));
    if std::fs::write(&path, file).is_err() {
        return;
    }
    let mut argv: Vec<String> = vec![
        "shiftwatch".into(),
        command.into(),
        path.to_string_lossy().into_owned(),
    ];
    argv.extend(
        String::from_utf8_lossy(args)
            .split('\n')
            .filter(|a| !a.is_empty())
            .take(16)
            .map(str::to_string),
    );
    let code = shiftwatch::cli::run(argv);
    assert!(
        [0u8, 1, 2].iter().any(|&c| code == ExitCode::from(c)),
        "unexpected exit code {code:?}"
    );
}
