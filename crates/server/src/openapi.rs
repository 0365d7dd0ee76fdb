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

fn path_parameter(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "integer" }, "description": description })
}

/// A staff write: session cookie and CSRF header, a JSON body, and the refusals.
fn staff_write(summary: &str, parameters: Value, body: Value, status: &str, ok: Value) -> Value {
    let mut responses = problem_responses();
    if let Some(map) = responses.as_object_mut() {
        map.insert(status.to_string(), ok);
        for (code, description) in [
            ("400", "Corps JSON illisible"),
            ("401", "Connexion requise"),
            ("403", "Rôle insuffisant ou jeton CSRF absent"),
            ("409", "Conflit avec ce qui est enregistré"),
        ] {
            map.insert(code.to_string(), json!({ "description": description, "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }));
        }
    }
    json!({ "post": {
        "summary": summary,
        "security": [{ "session": [], "csrf": [] }],
        "parameters": parameters,
        "requestBody": { "required": true, "content": { "application/json": { "schema": body } } },
        "responses": responses
    }})
}

fn vote_request() -> Value {
    json!({ "type": "object", "properties": {
        "vote": { "type": "object", "description": "{\"mode\": \"totals\", \"for\": 44, \"against\": 0, \"abstention\": 0, \"not_participating\": 0, \"groups\": [[\"Non-inscrit\", \"pour\"]]}, ou {\"mode\": \"per_group\", \"groups\": […], \"exceptions\": […]}, ou {\"mode\": \"per_member\", \"ballots\": [[\"Prénom NOM\", \"contre\"]]}" },
        "secret": { "type": "boolean" },
        "voix_president": { "type": "string", "description": "pour, contre, abstention ou npp" }
    }})
}

fn query(name: &str, kind: &str, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": { "type": kind }, "description": description })
}

/// The document itself.
pub fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "acta — API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Délibérations publiées, recherche et délibérations archivées ; pour les agents connectés, séances, appel, ordre du jour, votes et attributions. Les erreurs suivent la RFC 9457 (application/problem+json), en français."
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
            "/api/session": { "get": {
                "summary": "La session ouverte (par POST /connexion) : compte, rôle et jeton CSRF à envoyer dans l'en-tête X-CSRF-Token de chaque écriture",
                "security": [{ "session": [] }],
                "responses": { "200": json_ok("La session", json!({ "type": "object" })), "401": { "description": "Connexion requise" } }
            }},
            "/api/seances": staff_write(
                "Crée une séance (service des assemblées)",
                json!([]),
                json!({ "type": "object", "required": ["body", "date"], "properties": {
                    "body": { "type": "string", "description": "cp, cd, un nom ou un numéro d'instance" },
                    "date": { "type": "string", "format": "date" }, "time": { "type": "string" }, "place": { "type": "string" },
                    "president": { "type": "string" }, "secretary": { "type": "string" }, "reconvenes": { "type": "string" }
                }}),
                "201",
                json_ok("Séance créée", json!({ "type": "object", "properties": { "id": { "type": "integer" } } }))
            ),
            "/api/seances/{id}/presences": staff_write(
                "Enregistre l'appel : des élus avec un même statut",
                json!([path_parameter("id", "Numéro de la séance")]),
                json!({ "type": "object", "required": ["statut", "membres"], "properties": {
                    "statut": { "type": "string", "description": "present, excused, absent, present_without_vote, excused_without_vote" },
                    "membres": { "type": "array", "items": { "type": "string" }, "description": "Prénom NOM ou numéro" }
                }}),
                "200",
                json_ok("Nombre d'élus enregistrés", json!({ "type": "object" }))
            ),
            "/api/seances/{id}/points": staff_write(
                "Inscrit un rapport à l'ordre du jour, avec son projet de délibération",
                json!([path_parameter("id", "Numéro de la séance")]),
                json!({ "type": "object", "required": ["report_number", "title", "matter"], "properties": {
                    "report_number": { "type": "integer" }, "title": { "type": "string" },
                    "take_note": { "type": "boolean" }, "majority": { "type": "string", "description": "simple ou une fraction (2/3)" },
                    "matter": { "type": "string", "description": "Matière ACTES, ex. 7.5" }
                }}),
                "201",
                json_ok("Position du point", json!({ "type": "object", "properties": { "position": { "type": "integer" } } }))
            ),
            "/api/seances/{id}/points/{position}/apercu": staff_write(
                "Présence, quorum, décompte et majorité d'un point pour un vote saisi, sans rien enregistrer",
                json!([path_parameter("id", "Numéro de la séance"), path_parameter("position", "Point de l'ordre du jour")]),
                vote_request(),
                "200",
                json_ok("Le point évalué", json!({ "type": "object" }))
            ),
            "/api/seances/{id}/points/{position}/cloture": staff_write(
                "Clôt le vote d'un point : décision, numérotation, engagement des crédits",
                json!([path_parameter("id", "Numéro de la séance"), path_parameter("position", "Point de l'ordre du jour")]),
                vote_request(),
                "200",
                json_ok("Le point clos, avec son numéro", json!({ "type": "object" }))
            ),
            "/api/seances/{id}/points/{position}/projet": staff_write(
                "Remplace le texte du projet de délibération d'un point non voté",
                json!([path_parameter("id", "Numéro de la séance"), path_parameter("position", "Point de l'ordre du jour")]),
                json!({ "type": "object", "properties": {
                    "visas": { "type": "string", "description": "Un visa par ligne" },
                    "considerations": { "type": "string", "description": "Un considérant par ligne" },
                    "articles": { "type": "string", "description": "Un article par ligne, dans l'ordre" },
                    "budget_table_article": { "type": "integer", "description": "L'article suivi du tableau d'imputation" }
                }}),
                "204",
                json!({ "description": "Projet enregistré" })
            ),
            "/api/seances/{id}/pouvoirs": staff_write(
                "Enregistre un pouvoir (ou sa réattribution à partir d'un point)",
                json!([path_parameter("id", "Numéro de la séance")]),
                json!({ "type": "object", "properties": { "donneur": { "type": "string" }, "porteur": { "type": "string" }, "a_partir_du_point": { "type": "integer" } } }),
                "204",
                json!({ "description": "Enregistré" })
            ),
            "/api/seances/{id}/mouvements": staff_write(
                "Arrivée ou départ d'un élu à partir d'un point",
                json!([path_parameter("id", "Numéro de la séance")]),
                json!({ "type": "object", "properties": { "elu": { "type": "string" }, "sens": { "type": "string" }, "a_partir_du_point": { "type": "integer" } } }),
                "204",
                json!({ "description": "Enregistré" })
            ),
            "/api/seances/{id}/points/{position}/avis": staff_write(
                "Avis de la commission thématique sur le rapport d'un point",
                json!([path_parameter("id", "Numéro de la séance"), path_parameter("position", "Point de l'ordre du jour")]),
                json!({ "type": "object", "properties": { "commission": { "type": "string" }, "avis": { "type": "string" }, "date": { "type": "string" } } }),
                "204",
                json!({ "description": "Enregistré" })
            ),
            "/api/beneficiaires": staff_write(
                "Enregistre un bénéficiaire (SIRET ou RNA vérifiés)",
                json!([]),
                json!({ "type": "object", "required": ["name", "legal_status", "address"], "properties": { "name": { "type": "string" }, "short_name": { "type": "string" }, "legal_status": { "type": "string" }, "siret": { "type": "string" }, "rna": { "type": "string" }, "address": { "type": "object", "properties": { "street": { "type": "string" }, "postal_code": { "type": "string" }, "city": { "type": "string" } } } } }),
                "201",
                json!({ "description": "Enregistré" })
            ),
            "/api/beneficiaires/{id}/comptes": staff_write(
                "Enregistre un compte bancaire (IBAN ou RIB)",
                json!([path_parameter("id", "Numéro du bénéficiaire")]),
                json!({ "type": "object", "properties": { "holder": { "type": "string" }, "bank_name": { "type": "string" }, "iban": { "type": "string" }, "rib": { "type": "string" } } }),
                "201",
                json!({ "description": "Enregistré" })
            ),
            "/api/lignes-budgetaires": staff_write(
                "Enregistre une ligne budgétaire et ses crédits de paiement votés",
                json!([]),
                json!({ "type": "object", "properties": { "year": { "type": "integer" }, "operation_code": { "type": "string" }, "label": { "type": "string" }, "imputation": { "type": "string" }, "voted": { "type": "string" } } }),
                "201",
                json!({ "description": "Enregistré" })
            ),
            "/api/aides/{id}/convention": staff_write(
                "Établit la convention d'une attribution adoptée (échéancier : une tranche par entrée, ex. « 100 000:signature:sur-demande »)",
                json!([path_parameter("id", "Numéro de l'attribution")]),
                json!({ "type": "object", "required": ["echeancier", "tribunal"], "properties": { "echeancier": { "type": "array", "items": { "type": "string" } }, "tribunal": { "type": "string" }, "comptable": { "type": "string" }, "lieu_signature": { "type": "string" } } }),
                "201",
                json!({ "description": "Enregistré" })
            ),
            "/api/aides/{id}/signature": staff_write(
                "Date de signature de la convention",
                json!([path_parameter("id", "Numéro de l'attribution")]),
                json!({ "type": "object", "properties": { "date": { "type": "string" } } }),
                "204",
                json!({ "description": "Enregistré" })
            ),
            "/api/aides/{id}/documents": staff_write(
                "Document reçu pour une tranche",
                json!([path_parameter("id", "Numéro de l'attribution")]),
                json!({ "type": "object", "properties": { "tranche": { "type": "integer" }, "date": { "type": "string" }, "description": { "type": "string" } } }),
                "204",
                json!({ "description": "Enregistré" })
            ),
            "/api/aides/{id}/versements": staff_write(
                "Versement d'une tranche (mandat)",
                json!([path_parameter("id", "Numéro de l'attribution")]),
                json!({ "type": "object", "properties": { "tranche": { "type": "integer" }, "date": { "type": "string" }, "montant": { "type": "string" }, "reference": { "type": "string" } } }),
                "200",
                json!({ "description": "Enregistré" })
            ),
            "/api/aides/{id}/reversements": staff_write(
                "Décision de reversement (un seul motif : total, ceased_on, executed, ou accepted avec planned)",
                json!([path_parameter("id", "Numéro de l'attribution")]),
                json!({ "type": "object", "properties": { "total": { "type": "string" }, "ceased_on": { "type": "string" }, "executed": { "type": "string" }, "accepted": { "type": "string" }, "planned": { "type": "string" }, "date": { "type": "string" }, "titre_recette": { "type": "string" } } }),
                "200",
                json!({ "description": "Enregistré" })
            ),
            "/api/aides/{id}/avenants": staff_write(
                "Avenant à la convention signée",
                json!([path_parameter("id", "Numéro de l'attribution")]),
                json!({ "type": "object", "properties": { "signed_on": { "type": "string" }, "object": { "type": "string" }, "amount": { "type": "string" }, "execution_end": { "type": "string" } } }),
                "201",
                json!({ "description": "Enregistré" })
            ),
            "/api/aides/{id}": { "get": {
                "summary": "L'exécution d'une aide : échéancier, versements, documents, décisions, avenants",
                "security": [{ "session": [] }],
                "parameters": [path_parameter("id", "Numéro de l'attribution")],
                "responses": with_problems(json_ok("L'aide", json!({ "type": "object" })))
            }},
            "/api/attributions": staff_write(
                "Propose une attribution (subvention ou participation) dans le rapport d'un point",
                json!([]),
                json!({ "type": "object", "required": ["sitting", "position", "beneficiary", "budget_line", "amount", "year", "kind", "purpose"], "properties": {
                    "sitting": { "type": "string" }, "position": { "type": "integer" },
                    "beneficiary": { "type": "string", "description": "Numéro ou SIRET" },
                    "budget_line": { "type": "string", "description": "Code d'opération (C01-620A06) ou numéro de ligne" },
                    "amount": { "type": "string", "example": "120 000,00" }, "year": { "type": "integer" },
                    "kind": { "type": "string", "enum": ["participation", "subsidy"] }, "purpose": { "type": "string" }
                }}),
                "201",
                json_ok("Attribution proposée", json!({ "type": "object", "properties": { "id": { "type": "integer" } } }))
            ),
            "/api/openapi.json": { "get": {
                "summary": "Cette description",
                "responses": { "200": json_ok("OpenAPI 3", json!({ "type": "object" })) }
            }}
        },
        "components": {
          "securitySchemes": {
            "session": { "type": "apiKey", "in": "cookie", "name": "acta_session", "description": "Ouverte par POST /connexion (formulaire identifiant, mot_de_passe)" },
            "csrf": { "type": "apiKey", "in": "header", "name": "X-CSRF-Token", "description": "Le jeton donné par GET /api/session" }
          },
          "schemas": {
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
