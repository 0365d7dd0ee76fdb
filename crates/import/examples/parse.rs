//! Prints what the importer reads in a text file, as JSON: `cargo run -p acta-import
//! --example parse -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage : parse FICHIER");
        std::process::exit(2);
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            let file = acta_import::parse_bytes(&bytes);
            match serde_json::to_string_pretty(&file) {
                Ok(json) => println!("{json}"),
                Err(e) => eprintln!("{e}"),
            }
        }
        Err(e) => {
            eprintln!("{path} : {e}");
            std::process::exit(1);
        }
    }
}
