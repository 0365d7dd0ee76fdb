//! The French analyser: words split, lower-cased, stop words dropped, French stemming,
//! then accents folded — so "délibéré" meets "Délibération" and "eleves" meets "élèves".

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// The name the schema gives the analyser.
pub const FRENCH: &str = "acta_fr";

/// Identifiers (numbers, SIRET): kept whole, lower-cased.
pub const IDENTIFIER: &str = "acta_id";

pub fn french() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    // Stop words are matched before folding, as the list is written with its accents.
    match StopWordFilter::new(Language::French) {
        Some(stop_words) => builder
            .filter(stop_words)
            .filter(Stemmer::new(Language::French))
            .filter(AsciiFoldingFilter)
            .build(),
        None => builder
            .filter(Stemmer::new(Language::French))
            .filter(AsciiFoldingFilter)
            .build(),
    }
}

pub fn identifier() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Lower-cased and accent-folded, not stemmed: how a typed prefix meets indexed terms.
pub fn fold(text: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut out = String::new();
    while let Some(token) = stream.next() {
        out.push_str(&token.text);
    }
    out
}

/// The terms a text gives once analysed, for tests and for highlighting checks.
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = french();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_meet() {
        let cases = [
            ("délibéré", "Délibération"),
            ("eleves", "élèves"),
            ("subventions", "subvention"),
            ("associations", "l'association"),
            ("collèges", "college"),
            ("Chambre de Métiers", "chambre des metiers"),
        ];
        for (a, b) in cases {
            let (ta, tb) = (terms(a), terms(b));
            assert!(
                ta.iter().all(|t| tb.contains(t)),
                "{a} → {ta:?} ; {b} → {tb:?}"
            );
        }
    }

    #[test]
    fn stop_words_are_dropped() {
        assert_eq!(
            terms("la subvention à l'association"),
            terms("subvention association")
        );
    }
}
