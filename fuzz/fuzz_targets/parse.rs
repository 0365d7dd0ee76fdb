//! Any bytes given to the importer: decoding, cleaning, splitting and reading every field
//! must return, never panic. `cargo +nightly fuzz run parse -- -max_total_time=60`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = acta_import::parse_bytes(data);
    // Reading the record back must not panic either.
    let _ = acta_import::evaluate::facts(&file.deliberations);
    for deliberation in &file.deliberations {
        let _ = deliberation.field_count();
    }
});
