//! Parses the seed text (a real deliberation with its convention and report) over and over
//! and prints MB/s: the parser's speed on real prose, beside the synthetic corpus.

fn main() {
    let seed = include_str!("../../import/tests/seed/pas-de-calais-2023-479.txt");
    let runs = 2000;
    let started = std::time::Instant::now();
    let mut found = 0;
    for _ in 0..runs {
        found += acta_import::parse_text(seed).deliberations.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    let megabytes = (seed.len() * runs) as f64 / 1e6;
    println!(
        "{megabytes:.1} Mo en {seconds:.2} s : {:.1} Mo/s, {found} délibérations",
        megabytes / seconds
    );
}
