//! The open-data catalogue in DCAT-AP (JSON-LD), as data.gouv.fr harvests it: the SCDL
//! deliberations and subsidies files the portal publishes (décret 2017-779), with their
//! schema, licence and address.

use crate::{Acta, AppError};
use serde_json::{Value, json};

/// The Licence Ouverte 2.0 of Etalab, the licence French public data is published under.
pub const LICENCE: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence";

/// One file of the catalogue.
struct Entry {
    id: &'static str,
    title: &'static str,
    description: &'static str,
    path: &'static str,
    schema: &'static str,
    keywords: &'static [&'static str],
}

const ENTRIES: [Entry; 2] = [
    Entry {
        id: "deliberations",
        title: "Délibérations",
        description: "Les délibérations publiées, au format SCDL « délibérations » 2.1.5 : numéro, date, matière, objet, votes, transmission en préfecture.",
        path: "/donnees/deliberations.csv",
        schema: "https://schema.data.gouv.fr/scdl/deliberations/2.1.5/",
        keywords: &["délibérations", "actes administratifs", "SCDL"],
    },
    Entry {
        id: "subventions",
        title: "Subventions attribuées",
        description: "Les subventions attribuées par convention, au format SCDL « subventions » 2.1.1 (décret n° 2017-779 du 5 mai 2017).",
        path: "/donnees/subventions.csv",
        schema: "https://schema.data.gouv.fr/scdl/subventions/2.1.1/",
        keywords: &["subvention", "SCDL"],
    },
];

impl Acta {
    /// The catalogue, with absolute addresses under `base` ("https://deliberations.exemple.fr").
    pub async fn open_data_catalogue(&self, base: &str) -> Result<Value, AppError> {
        let base = base.trim_end_matches('/');
        let publisher = self.collectivity_name().await?.unwrap_or_default();
        let modified = self.today().to_string();
        let datasets: Vec<Value> = ENTRIES
            .iter()
            .map(|e| {
                let url = format!("{base}{}", e.path);
                json!({
                    "@id": format!("{base}/donnees#{}", e.id),
                    "@type": "dcat:Dataset",
                    "dct:identifier": e.id,
                    "dct:title": e.title,
                    "dct:description": e.description,
                    "dct:publisher": { "@type": "foaf:Organization", "foaf:name": publisher },
                    "dct:license": { "@id": LICENCE },
                    "dct:conformsTo": { "@id": e.schema },
                    "dct:modified": { "@value": modified, "@type": "xsd:date" },
                    "dct:accrualPeriodicity": { "@id": "http://purl.org/cld/freq/continuous" },
                    "dct:language": { "@id": "http://publications.europa.eu/resource/authority/language/FRA" },
                    "dcat:keyword": e.keywords,
                    "dcat:landingPage": { "@id": format!("{base}/donnees") },
                    "dcat:distribution": [{
                        "@id": url,
                        "@type": "dcat:Distribution",
                        "dct:title": format!("{} (CSV)", e.title),
                        "dcat:accessURL": { "@id": url },
                        "dcat:downloadURL": { "@id": url },
                        "dcat:mediaType": { "@id": "https://www.iana.org/assignments/media-types/text/csv" },
                        "dct:format": "CSV",
                        "dct:license": { "@id": LICENCE },
                        "dct:conformsTo": { "@id": e.schema }
                    }]
                })
            })
            .collect();
        Ok(json!({
            "@context": {
                "dcat": "http://www.w3.org/ns/dcat#",
                "dct": "http://purl.org/dc/terms/",
                "foaf": "http://xmlns.com/foaf/0.1/",
                "xsd": "http://www.w3.org/2001/XMLSchema#"
            },
            "@id": format!("{base}/donnees/catalogue.jsonld"),
            "@type": "dcat:Catalog",
            "dct:title": format!("Données ouvertes — {publisher}"),
            "dct:description": "Les actes et les subventions publiés par la collectivité, aux formats du socle commun des données locales (SCDL).",
            "dct:publisher": { "@type": "foaf:Organization", "foaf:name": publisher },
            "dct:language": { "@id": "http://publications.europa.eu/resource/authority/language/FRA" },
            "dcat:dataset": datasets
        }))
    }
}
