//! The OpenAPI 3 description of the JSON API, served at /api/openapi.json, generated from
//! the route table ([`crate::routes::ROUTES`]): every `/api` route with its summary, its
//! path and query parameters, the schema of its body (derived from the application's input
//! structs) and of its answers, and the French problem details it may return.

use crate::routes::{Purpose, ROUTES, Route};
use axum::Json;
use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

fn problem(description: &str) -> Value {
    json!({ "description": description, "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } })
}

/// A path parameter, typed from its name: numbers of the register are strings, ids and
/// positions whole numbers from 1.
fn path_parameter(name: &str) -> Value {
    let (schema, description) = match name {
        "number" => (
            json!({ "type": "string", "minLength": 1, "maxLength": 40, "pattern": "^[^/\\\\\\x00-\\x1f]+$" }),
            "Numéro de la délibération (ex. 2023-479)",
        ),
        "id" => (
            json!({ "type": "integer", "minimum": 1, "maximum": 9007199254740991_i64 }),
            "Numéro (de la séance, du bénéficiaire ou de l'attribution)",
        ),
        "position" => (
            json!({ "type": "integer", "minimum": 1, "maximum": 4294967295_u64 }),
            "Point de l'ordre du jour",
        ),
        _ => (json!({ "type": "string", "minLength": 1 }), "Identifiant"),
    };
    json!({ "name": name, "in": "path", "required": true, "schema": schema, "description": description })
}

fn parameters(route: &Route) -> Vec<Value> {
    let mut out: Vec<Value> = route
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(path_parameter)
        .collect();
    if let Some(api) = &route.api {
        for q in api.query {
            // The bounds the server enforces.
            let maximum = match q.0 {
                "limit" | "limite" => 200,
                "offset" => 1_000_000,
                _ => 9999,
            };
            let schema = match q.1 {
                "integer" => json!({ "type": "integer", "minimum": 0, "maximum": maximum }),
                // A whole number as a form sends it: digits, or empty when not chosen.
                "digits" => json!({ "type": "string", "pattern": "^[0-9]{0,9}$" }),
                other => json!({ "type": other }),
            };
            out.push(json!({ "name": q.0, "in": "query", "required": false, "schema": schema, "description": q.2 }));
        }
    }
    out
}

fn operation(route: &Route, generator: &mut SchemaGenerator) -> Value {
    let mut responses = Map::new();
    let api = route.api.as_ref();
    let (status, answer) = api.map_or((200, None), |a| a.ok);
    let ok = match (status, answer) {
        (204, _) => json!({ "description": "Enregistré" }),
        (_, Some(schema)) => {
            json!({ "description": "Réussi", "content": { "application/json": { "schema": schema(generator) } } })
        }
        (_, None) => {
            json!({ "description": "Réussi", "content": { "application/json": { "schema": {} } } })
        }
    };
    responses.insert(status.to_string(), ok);
    let mut refusals = vec![
        ("400", "Paramètres ou corps illisibles"),
        ("404", "Introuvable"),
        ("405", "Méthode non prise en charge"),
    ];
    if !route.roles.contains(&crate::routes::StaffRole::Public) {
        refusals.push(("401", "Connexion requise"));
        refusals.push(("403", "Rôle insuffisant ou jeton CSRF absent"));
    }
    if route.method == axum::http::Method::POST {
        refusals.extend([
            ("409", "Conflit avec ce qui est enregistré"),
            ("413", "Corps trop volumineux"),
            ("415", "Corps qui n'est pas du JSON"),
            ("422", "Saisie invalide ou règle refusée"),
        ]);
    }
    if route.purpose == Purpose::Read && route.method == axum::http::Method::GET {
        refusals.push(("422", "Saisie invalide"));
    }
    refusals.push(("500", "Erreur interne"));
    if route.path.starts_with("/api/transmissions") || route.path == "/api/suivi-transmissions" {
        refusals.push((
            "503",
            "Plateforme de télétransmission injoignable : réessayer plus tard",
        ));
    }
    for (code, description) in refusals {
        responses.insert(code.to_string(), problem(description));
    }
    let mut op = json!({
        "summary": route.summary,
        "parameters": parameters(route),
        "responses": responses,
    });
    if let Some(api) = api
        && let Some(body) = api.body
    {
        op["requestBody"] = if api.multipart {
            json!({ "required": true, "content": { "multipart/form-data": { "schema": { "allOf": [
                body(generator),
                { "type": "object", "required": ["fichier"], "properties": { "fichier": { "type": "string", "format": "binary" } } }
            ] } } } })
        } else {
            json!({ "required": true, "content": { "application/json": { "schema": body(generator) } } })
        };
    }
    if !route.roles.contains(&crate::routes::StaffRole::Public) {
        op["security"] = if route.method == axum::http::Method::POST {
            json!([{ "session": [], "csrf": [] }])
        } else {
            json!([{ "session": [] }])
        };
    }
    op
}

/// The document itself.
pub fn spec() -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let mut paths = Map::new();
    for route in ROUTES.iter().filter(|r| r.path.starts_with("/api/")) {
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        entry[route.method.as_str().to_lowercase()] = operation(route, &mut generator);
    }
    let mut schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    schemas.insert(
        "Problem".to_string(),
        json!({ "type": "object", "required": ["type", "title", "status", "detail"], "properties": {
            "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" },
            "detail": { "type": "string" },
            "errors": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } }
        }}),
    );
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "acta — API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Délibérations publiées, recherche et délibérations archivées ; pour les agents connectés, séances, appel, ordre du jour, votes, attributions et exécution des aides. Les erreurs suivent la RFC 9457 (application/problem+json), en français."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "acta_session", "description": "Ouverte par POST /connexion (formulaire identifiant, mot_de_passe)" },
                "csrf": { "type": "apiKey", "in": "header", "name": "X-CSRF-Token", "description": "Le jeton donné par GET /api/session" }
            },
            "schemas": schemas
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}
