//! The OpenAPI 3 description of the JSON API, served at /api/openapi.json. Written out here
//! rather than derived: it names each route of `access::ROUTES` under /api, and a test
//! checks that none is missing.

use axum::Json;
use serde_json::{Value, json};

fn problem_responses() -> Value {
    json!({
        "404": { "description": "Introuvable", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
        "422": { "description": "Saisie invalide", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
    })
}

fn with_problems(ok: Value) -> Value {
    let mut responses = problem_responses();
    if let Some(map) = responses.as_object_mut() {
        map.insert("200".to_string(), ok);
    }
    responses
}

fn json_ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn number_parameter() -> Value {
    json!({ "name": "number", "in": "path", "required": true, "schema": { "type": "string" }, "example": "2023-479", "description": "Numéro de la délibération" })
}

fn query(name: &str, kind: &str, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": { "type": kind }, "description": description })
}

/// The document itself.
pub fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "acta — API publique",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Délibérations publiées, recherche et délibérations archivées. Les erreurs suivent la RFC 9457 (application/problem+json), en français."
        },
        "paths": {
            "/api/deliberations": { "get": {
                "summary": "Dernières délibérations publiées",
                "parameters": [query("offset", "integer", "Nombre de délibérations à sauter"), query("limit", "integer", "Nombre maximal (200)")],
                "responses": with_problems(json_ok("Liste", json!({ "type": "array", "items": { "$ref": "#/components/schemas/DeliberationSummary" } })))
            }},
            "/api/deliberations/{number}": { "get": {
                "summary": "Une délibération publiée : présences, visas, articles, vote, budget",
                "parameters": [number_parameter()],
                "responses": with_problems(json_ok("La délibération", json!({ "type": "object" })))
            }},
            "/api/search": { "get": {
                "summary": "Recherche plein texte (accents, pluriels et formes des mots indifférents)",
                "parameters": [
                    query("q", "string", "Mots, « expression », préfixe*, numéro ou SIRET"),
                    query("annee", "integer", "Année de la séance"),
                    query("instance", "string", "Instance"),
                    query("matiere", "string", "Matière ACTES, ex. 7.5"),
                    query("beneficiaire", "string", "Bénéficiaire"),
                    query("type", "string", "deliberation, rapport, convention ou archive"),
                    query("min", "string", "Montant minimal en euros"),
                    query("max", "string", "Montant maximal en euros"),
                    query("limite", "integer", "Nombre de résultats (200 au plus)")
                ],
                "responses": with_problems(json_ok("Résultats et facettes", json!({ "type": "object" })))
            }},
            "/api/archives/{number}": { "get": {
                "summary": "Délibérations archivées importées, avec la confiance et la ligne source de chaque champ",
                "parameters": [number_parameter()],
                "responses": with_problems(json_ok("Les délibérations archivées de ce numéro", json!({ "type": "array", "items": { "type": "object" } })))
            }},
            "/api/openapi.json": { "get": {
                "summary": "Cette description",
                "responses": { "200": json_ok("OpenAPI 3", json!({ "type": "object" })) }
            }}
        },
        "components": { "schemas": {
            "Problem": { "type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" },
                "detail": { "type": "string" },
                "errors": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } }
            }},
            "DeliberationSummary": { "type": "object", "required": ["number", "date", "title", "body"], "properties": {
                "number": { "type": "string" }, "date": { "type": "string", "format": "date" },
                "title": { "type": "string" }, "body": { "type": "string" }, "outcome": { "type": "string", "nullable": true }
            }}
        }}
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}
