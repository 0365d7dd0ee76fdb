//! Parses the synthetic archive on one thread and prints MB/s: a quick loop for profiling
//! the parser (`perf record`), without the application around it. The benchmark proper is
//! `acta bench import`.

fn main() {
    let megabytes: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let files: Vec<String> = {
        let mut archive = acta_bench::synthetic_archive::Archive::new(20_231_120);
        let mut total = 0u64;
        let mut out = Vec::new();
        while total < megabytes * 1_000_000 {
            let (text, _) = archive.next_file();
            total += text.len() as u64;
            out.push(text);
        }
        out
    };
    let bytes: usize = files.iter().map(String::len).sum();
    let started = std::time::Instant::now();
    let mut found = 0;
    for text in &files {
        found += acta_import::parse_text(text).deliberations.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{:.1} Mo en {seconds:.2} s : {:.1} Mo/s, {found} délibérations",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds
    );
}
