//! Reads files through `shiftwatch::io` and prints the number of series and points: the
//! reading side of `bench/rss_io.py` (peak RSS without any command's report on top).
//!
//! `cargo run --release --example read_rss -- FILE…`

fn main() -> Result<(), shiftwatch::Error> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let d = shiftwatch::io::read_paths(&paths, &shiftwatch::io::ReadOptions::default())?;
    let points: usize = d.series.iter().map(|s| s.values.len()).sum();
    println!("series {} points {points}", d.series.len());
    Ok(())
}
