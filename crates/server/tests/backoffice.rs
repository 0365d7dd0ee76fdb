//! The back office and the API's writes as staff use them, on SQLite and PostgreSQL:
//! logging in and out, the CSRF token every write needs, what each role may change, and
//! the seed's sitting held again through the forms and through the JSON API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::{Acta, Actor};
use acta_server::{AppState, router};
use acta_store::testing::TestDatabase;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Session, send};
use serde_json::json;

const TITLE: &str =
    "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023";
const GROUPS: [&str; 5] = [
    "Groupe Socialiste, Républicain et Citoyen",
    "Groupe Communiste et Républicain",
    "Groupe Union pour le Pas-de-Calais",
    "Groupe Rassemblement National",
    "Non-inscrit",
];

/// The seed's standing data, its numbering sequence at 478, and one account per role.
async fn referential(db: &TestDatabase) -> (Acta, axum::Router, tempfile::TempDir) {
    let actor = Actor::new("test");
    let acta = Acta::with_store(db.store.clone()).with_clock(common::clock());
    acta.load_demo_referential(&actor).await.unwrap();
    acta.set_numbering(&actor, "cp", 2023, 478).await.unwrap();
    common::accounts(
        &acta,
        &[
            "administrateur",
            "assemblees",
            "instructeur",
            "finances",
            "elu",
        ],
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
    (acta, app, dir)
}

/// A member's number, read from the roll-call form of the sitting's page.
fn member_id(page: &str, name: &str) -> String {
    let row = page
        .split("<tr>")
        .find(|row| row.contains(name) && row.contains("statut_"))
        .unwrap_or_else(|| panic!("{name} is not in the roll call"));
    let start = row.find("name=\"statut_").unwrap() + "name=\"statut_".len();
    row[start..].split('"').next().unwrap().to_string()
}

/// A group's number, read from the vote form.
fn group_field(page: &str, group: &str) -> String {
    let row = page
        .split("<tr>")
        .find(|row| row.contains(group) && row.contains("name=\"position_"))
        .unwrap_or_else(|| panic!("{group} is not in the vote form"));
    let start = row.find("name=\"position_").unwrap() + "name=\"".len();
    row[start..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn logging_in_opens_a_strict_session_and_logging_out_ends_it() {
    for db in TestDatabase::all().await.unwrap() {
        let (_, app, _dir) = referential(&db).await;
        let wrong = send(
            &app,
            Request::post("/connexion")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("identifiant=assemblees&mot_de_passe=faux"))
                .unwrap(),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(
            wrong
                .text()
                .contains("Identifiant ou mot de passe incorrect.")
        );
        assert!(wrong.headers.get(header::SET_COOKIE).is_none());

        // From another site, even the right password is refused.
        let forged = send(
            &app,
            Request::post("/connexion")
                .header(header::HOST, "127.0.0.1:8080")
                .header(header::ORIGIN, "https://ailleurs.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "identifiant=assemblees&mot_de_passe={}",
                    common::PASSWORD.replace(' ', "+")
                )))
                .unwrap(),
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);

        let right = send(
            &app,
            Request::post("/connexion")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "identifiant=assemblees&mot_de_passe={}&suite=%2Fgestion%2Fcomptes",
                    common::PASSWORD.replace(' ', "+")
                )))
                .unwrap(),
        )
        .await;
        assert_eq!(right.status, StatusCode::SEE_OTHER);
        assert_eq!(right.location(), "/gestion/comptes");
        let cookie = right.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with("acta_session="), "{cookie}");
        assert!(cookie.contains("; HttpOnly"), "{cookie}");
        assert!(cookie.contains("; SameSite=Strict"), "{cookie}");
        assert!(!cookie.contains("Secure"), "no TLS here: {cookie}");

        let session = Session::open(&app, "assemblees").await;
        let home = session.get(&app, "/gestion").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(
            home.text()
                .contains("Agent assemblees — Service des assemblées")
        );
        let out = session.form(&app, "/deconnexion", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(
            out.headers[header::SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        let after = session.get(&app, "/gestion").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "the session is over");
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_write_without_its_csrf_token_is_refused_and_changes_nothing() {
    for db in TestDatabase::all().await.unwrap() {
        let (acta, app, _dir) = referential(&db).await;
        let session = Session::open(&app, "assemblees").await;
        let before = acta.journal_size().await.unwrap();
        let body = "instance=cp&date=2023-11-20";
        for (token_field, header_token) in [("", None), ("_csrf=0000&", None), ("", Some("0000"))] {
            let mut request = Request::post("/gestion/seances")
                .header(header::COOKIE, &session.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            if let Some(t) = header_token {
                request = request.header("x-csrf-token", t);
            }
            let reply = send(
                &app,
                request
                    .body(Body::from(format!("{token_field}{body}")))
                    .unwrap(),
            )
            .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", db.name());
            assert!(reply.text().contains("Jeton de sécurité invalide"));
        }
        let json_without_token = send(
            &app,
            Request::post("/api/seances")
                .header(header::COOKIE, &session.cookie)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"body":"cp","date":"2023-11-20"}"#))
                .unwrap(),
        )
        .await;
        assert_eq!(json_without_token.status, StatusCode::FORBIDDEN);
        assert_eq!(acta.journal_size().await.unwrap(), before);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn each_role_changes_only_what_its_rule_admits() {
    for db in TestDatabase::all().await.unwrap() {
        let (acta, app, _dir) = referential(&db).await;
        let sitting = [("instance", "2"), ("date", "2023-11-20")];
        for login in ["elu", "finances", "instructeur"] {
            let session = Session::open(&app, login).await;
            let page = session.get(&app, "/gestion").await;
            assert!(
                !page.text().contains("Nouvelle séance"),
                "{login} is not offered the form"
            );
            let refused = session.form(&app, "/gestion/seances", &sitting).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{login}");
            assert!(
                refused
                    .text()
                    .contains("Votre rôle ne permet pas cette opération.")
            );
            let api = session
                .post_json(
                    &app,
                    "/api/seances",
                    json!({"body": "cp", "date": "2023-11-20"}),
                )
                .await;
            assert_eq!(api.status, StatusCode::FORBIDDEN, "{login}");
            assert_eq!(api.content_type(), "application/problem+json");
            let accounts = session.get(&app, "/gestion/comptes").await;
            assert_eq!(accounts.status, StatusCode::FORBIDDEN, "{login}");
        }
        assert!(acta.sitting_entries().await.unwrap().is_empty());

        let assemblies = Session::open(&app, "assemblees").await;
        let created = assemblies.form(&app, "/gestion/seances", &sitting).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        assert_eq!(created.location(), "/gestion/seances/1");

        // Accounts are the administrator's.
        let admin = Session::open(&app, "administrateur").await;
        let weak = admin
            .form(
                &app,
                "/gestion/comptes",
                &[
                    ("identifiant", "cmartin"),
                    ("nom", "Mme C. MARTIN"),
                    ("role", "instructeur"),
                    ("mot_de_passe", "zq8x7"),
                ],
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            weak.text()
                .contains("Mot de passe : 12 caractères au moins (il en a 5).")
        );
        // The refused form keeps what was typed, but never the password.
        assert!(weak.text().contains("value=\"cmartin\""), "{}", weak.text());
        assert!(!weak.text().contains("zq8x7"), "{}", weak.text());
        let made = admin
            .form(
                &app,
                "/gestion/comptes",
                &[
                    ("identifiant", "cmartin"),
                    ("nom", "Mme C. MARTIN"),
                    ("role", "instructeur"),
                    ("mot_de_passe", "Une phrase de passe"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
        assert!(
            admin
                .get(&app, "/gestion/comptes")
                .await
                .text()
                .contains("Mme C. MARTIN")
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_seed_sitting_held_through_the_back_office_gives_deliberation_2023_479() {
    for db in TestDatabase::all().await.unwrap() {
        let (acta, app, _dir) = referential(&db).await;
        let staff = Session::open(&app, "assemblees").await;
        let instructor = Session::open(&app, "instructeur").await;

        let created = staff
            .form(
                &app,
                "/gestion/seances",
                &[
                    ("instance", "2"),
                    ("date", "2023-11-20"),
                    ("president", "Jean-Claude LEROY"),
                    ("secretaire", "Maryse DELASSUS"),
                ],
            )
            .await;
        let sitting = created.location().to_string();
        assert_eq!(sitting, "/gestion/seances/1", "{}", created.text());

        // A mistake is shown in French, naming the field, and nothing is kept.
        let bad = staff
            .form(
                &app,
                &format!("{sitting}/points"),
                &[("rapport", "vingt"), ("titre", TITLE), ("matiere", "7.5")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().contains(&acta_domain::text::escape_html(
            "Numéro du rapport : « vingt » n'est pas un nombre entier."
        )));

        let page = staff.get(&app, &sitting).await.text();
        let mut roll: Vec<(String, String)> = vec![("tous_presents".into(), "1".into())];
        for (name, status) in [
            ("Pierre GEORGET", "excused"),
            ("Stéphanie RIGAUX", "excused"),
            ("Jean-Louis COTTIGNY", "present_without_vote"),
            ("Bertrand PETIT", "present_without_vote"),
            ("Jean-Marc TELLIER", "present_without_vote"),
            ("Michel DAGBERT", "excused_without_vote"),
        ] {
            roll.push((format!("statut_{}", member_id(&page, name)), status.into()));
        }
        let roll: Vec<(&str, &str)> = roll.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let marked = staff
            .form(&app, &format!("{sitting}/presences"), &roll)
            .await;
        assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.text());
        assert!(
            staff
                .get(&app, &sitting)
                .await
                .text()
                .contains("42 présent(s), 2 excusé(s)")
        );

        let added = staff
            .form(
                &app,
                &format!("{sitting}/points"),
                &[
                    ("rapport", "20"),
                    ("titre", TITLE),
                    ("matiere", "7.5"),
                    ("majorite", "simple"),
                ],
            )
            .await;
        let item = added.location().to_string();
        assert_eq!(item, "/gestion/seances/1/points/1", "{}", added.text());

        // The draft: the seed's visas and articles, and the commission's opinion.
        let visas = [
            "Vu le Code Général des Collectivités Territoriales et, notamment, ses articles L.3121-14, L.3121-14-1, L.3211-1 et L.3211-2 ;",
            "Vu le Code Général des Collectivités Territoriales et, notamment, son article L.1111-4 ;",
            "Vu le Code de l’Action Sociale et des Familles et, notamment, ses articles L.263-1 et suivants :",
            "Vu la délibération n°2021-257 du Conseil départemental en date du 01/07/2021 « Délégation d’attributions à la Commission Permanente » ;",
            "Vu le rapport du Président du Conseil départemental, ci-annexé ;",
            "Vu l’avis de la 1ère commission « Attractivité départementale et emploi » rendu lors de sa réunion en date du 06/11/2023 ;",
        ]
        .join("\n");
        let articles = [
            "Article 1 : D’attribuer à la Chambre de Métiers et de l’Artisanat (CMA) de région Hauts-de-France, la participation financière de 120 000 € au titre de l’année 2023, pour la réalisation du programme d’actions tel que décrit au rapport en annexe et dans le projet de convention annuelle joint à la présente délibération.",
            "Article 2 : D’autoriser le Président du Conseil départemental à signer, au nom et pour le compte du Département, la convention annuelle d’objectifs et de partenariat 2023 avec la CMA de région Hauts-de-France, dans les termes du projet joint à la présente délibération.",
            "Article 3 : La dépense versée en application de l’article 1 de la présente délibération est imputée sur le budget départemental comme suit :",
        ]
        .join("\n");
        let out_of_range = instructor
            .form(
                &app,
                &format!("{item}/projet"),
                &[
                    ("visas", &visas),
                    ("articles", &articles),
                    ("article_tableau", "4"),
                ],
            )
            .await;
        assert_eq!(out_of_range.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            out_of_range.text().contains(
                "Tableau d&#39;imputation : l&#39;article 4 n&#39;existe pas (le projet en a 3)."
            ),
            "{}",
            out_of_range.text()
        );
        let drafted = instructor
            .form(
                &app,
                &format!("{item}/projet"),
                &[
                    ("visas", &visas),
                    ("articles", &articles),
                    ("article_tableau", "3"),
                ],
            )
            .await;
        assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.text());
        let late_opinion = instructor
            .form(
                &app,
                &format!("{item}/avis"),
                &[
                    ("commission", "3"),
                    ("avis", "favorable"),
                    ("date_avis", "2023-11-21"),
                ],
            )
            .await;
        assert_eq!(late_opinion.status, StatusCode::UNPROCESSABLE_ENTITY);
        let opinion = instructor
            .form(
                &app,
                &format!("{item}/avis"),
                &[
                    ("commission", "3"),
                    ("avis", "favorable"),
                    ("date_avis", "2023-11-06"),
                ],
            )
            .await;
        assert_eq!(opinion.status, StatusCode::SEE_OTHER, "{}", opinion.text());
        let page = staff.get(&app, &item).await.text();
        assert!(page.contains("Avis favorable de la 1ère commission – Attractivité départementale et emploi du 6 novembre 2023."), "{page}");

        // Credits as the instructor types the amount.
        let credits = instructor
            .get(
                &app,
                "/gestion/credits?ligne=C01-620A06&annee=2023&montant=120+000",
            )
            .await
            .text()
            .replace(['\u{202f}', '\u{a0}'], " ");
        assert_eq!(
            credits,
            "Crédits votés 140 000 € · disponible 120 000 € · cette attribution 120 000 € · solde après 0 €"
        );
        let unknown_kind = instructor
            .form(
                &app,
                &format!("{item}/attributions"),
                &[
                    ("beneficiaire", "1"),
                    ("annee", "2023"),
                    ("ligne", "1"),
                    ("montant", "120 000"),
                    ("nature", "don"),
                    ("objet", "x"),
                ],
            )
            .await;
        assert_eq!(unknown_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown_kind
                .text()
                .contains("Nature : « don » n&#39;est ni une participation ni une subvention.")
        );
        let award = instructor
            .form(
                &app,
                &format!("{item}/attributions"),
                &[
                    ("beneficiaire", "1"),
                    ("annee", "2023"),
                    ("ligne", "1"),
                    ("montant", "120 000"),
                    ("nature", "participation"),
                    (
                        "objet",
                        "la réalisation du programme d'actions tel que décrit au rapport en annexe",
                    ),
                ],
            )
            .await;
        assert_eq!(award.status, StatusCode::SEE_OTHER, "{}", award.text());

        let page = staff.get(&app, &item).await.text();
        assert!(
            page.contains("42 présents ou représentés sur 44 en exercice, quorum 23 : atteint"),
            "{page}"
        );
        assert!(page.contains("proposée"), "the award is listed");
        let mut vote: Vec<(String, String)> = vec![
            ("mode".into(), "totaux".into()),
            ("pour".into(), "44".into()),
            ("contre".into(), "0".into()),
            ("abstention".into(), "0".into()),
        ];
        for g in GROUPS {
            vote.push((group_field(&page, g), "pour".into()));
        }
        let mut preview: Vec<(&str, &str)> =
            vote.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        preview.push(("action", "calculer"));
        let shown = staff.form(&app, &format!("{item}/cloture"), &preview).await;
        assert_eq!(shown.status, StatusCode::OK);
        let shown = shown.text();
        assert!(
            shown.contains(
                "Suffrages exprimés : 44 (44 pour, 0 contre), majorité requise 23 : adopté."
            ),
            "{shown}"
        );
        assert!(shown.contains("2 voix ne sont pas justifiées"), "{shown}");
        assert!(
            acta.deliberation_view("2023-479").await.is_err(),
            "a preview writes nothing"
        );

        let mut close = preview.clone();
        close.pop();
        close.push(("action", "clore"));
        let closed = staff.form(&app, &format!("{item}/cloture"), &close).await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text());
        let page = staff.get(&app, &item).await.text();
        assert!(
            page.contains("Adopté — délibération N°2023-479 (@ctes : 2023_479)"),
            "{page}"
        );
        assert!(
            !page.contains("Clore le point"),
            "a closed item has no vote form"
        );

        let again = staff.form(&app, &format!("{item}/cloture"), &close).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.text().contains("déjà clos"));
        let frozen = instructor
            .form(
                &app,
                &format!("{item}/projet"),
                &[("articles", "Autre chose.")],
            )
            .await;
        assert_eq!(frozen.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            frozen
                .text()
                .contains("est votée ; son texte ne change plus.")
        );

        let d = acta.deliberation_view("2023-479").await.unwrap();
        let d = serde_json::to_value(&d).unwrap();
        assert_eq!(d["vote"]["for"], 44);
        assert_eq!(d["vote"]["groups_for"].as_array().unwrap().len(), 5);
        assert_eq!(d["attendance"]["present"].as_array().unwrap().len(), 42);
        assert_eq!(d["president"], "M. Jean-Claude LEROY");
        assert_eq!(d["awards"][0]["status"], "adopted");
        assert_eq!(d["visas"].as_array().unwrap().len(), 6);
        assert_eq!(
            d["articles"].as_array().unwrap().len(),
            3,
            "{}",
            d["articles"]
        );
        // Numbered, the act is not public until it is published.
        let (status, _, _) = common::get(&app, "/deliberations/2023-479").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", db.name());
        let preview = staff.get(&app, "/deliberations/2023-479").await.text();
        assert!(preview.contains("Aperçu réservé aux agents"), "{preview}");
        let published = staff
            .form(
                &app,
                "/gestion/deliberations/2023-479/publication",
                &[("date", "")],
            )
            .await;
        assert_eq!(
            published.status,
            StatusCode::SEE_OTHER,
            "{}",
            published.text()
        );
        let public = common::get(&app, "/deliberations/2023-479").await.2;
        let public = String::from_utf8(public).unwrap();
        assert!(
            public.contains("D’autoriser le Président du Conseil départemental à signer"),
            "{public}"
        );
        let (status, _, _) = common::get(&app, "/deliberations/2023-479/pdf").await;
        assert_eq!(status, StatusCode::OK, "{}", db.name());
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_api_holds_a_sitting_with_json_writes() {
    for db in TestDatabase::all().await.unwrap() {
        let (acta, app, _dir) = referential(&db).await;
        let staff = Session::open(&app, "assemblees").await;
        let created = staff
            .post_json(
                &app,
                "/api/seances",
                json!({"body": "cp", "date": "2023-11-20", "president": "Jean-Claude LEROY"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let id = created.json()["id"].as_i64().unwrap();
        let bad = staff
            .post_json(
                &app,
                "/api/seances",
                json!({"body": "cp", "date": "20/13/2023"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["field"], "date", "{}", bad.text());
        let unreadable = staff
            .post_json(&app, "/api/seances", json!({"date": 3}))
            .await;
        assert_eq!(unreadable.status, StatusCode::BAD_REQUEST);
        assert_eq!(unreadable.content_type(), "application/problem+json");

        let marked = staff
            .post_json(
                &app,
                &format!("/api/seances/{id}/presences"),
                json!({"statut": "present", "membres": ["Jean-Claude LEROY", "Maryse DELASSUS"]}),
            )
            .await;
        assert_eq!(marked.json()["recorded"], 2, "{}", marked.text());
        let item = staff
            .post_json(
                &app,
                &format!("/api/seances/{id}/points"),
                json!({"report_number": 20, "title": TITLE, "take_note": false, "matter": "7.5"}),
            )
            .await;
        assert_eq!(item.status, StatusCode::CREATED, "{}", item.text());
        let drafted = staff
            .post_json(
                &app,
                &format!("/api/seances/{id}/points/1/projet"),
                json!({"visas": "Vu le Code Général des Collectivités Territoriales ;", "considerations": "", "articles": "Article 1 : D’attribuer la participation."}),
            )
            .await;
        assert_eq!(drafted.status, StatusCode::NO_CONTENT, "{}", drafted.text());
        let draft = acta
            .draft(&common::sitting_key(&id.to_string()), 1)
            .await
            .unwrap();
        assert_eq!(draft.articles, ["D’attribuer la participation."]);
        let vote = json!({"vote": {"mode": "totals", "for": 2, "against": 0, "abstention": 0, "not_participating": 0, "groups": []}});
        let preview = staff
            .post_json(
                &app,
                &format!("/api/seances/{id}/points/1/apercu"),
                json!({}),
            )
            .await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
        assert_eq!(preview.json()["evaluation"]["quorum"]["reached"], false);
        assert_eq!(
            preview.json()["evaluation"]["quorum"]["explanation"],
            "2 présents ou représentés sur 44 en exercice, quorum 23 : non atteint"
        );
        let closed = staff
            .post_json(&app, &format!("/api/seances/{id}/points/1/cloture"), vote)
            .await;
        assert_eq!(
            closed.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "without quorum: {}",
            closed.text()
        );
        assert!(
            closed.json()["detail"].as_str().unwrap().contains("quorum"),
            "{}",
            closed.text()
        );
        db.cleanup().await.unwrap();
    }
}

/// The back office's pages pass the Nu Html Checker, as the portal's do.
#[tokio::test]
async fn the_back_office_pages_are_valid_html() {
    let db = TestDatabase::sqlite().await.unwrap();
    let (_, app, _dir) = referential(&db).await;
    let admin = Session::open(&app, "administrateur").await;
    admin
        .form(
            &app,
            "/gestion/seances",
            &[("instance", "2"), ("date", "2023-11-20")],
        )
        .await;
    admin
        .form(
            &app,
            "/gestion/seances/1/points",
            &[("rapport", "20"), ("titre", TITLE), ("matiere", "7.5")],
        )
        .await;
    let mut pages = Vec::new();
    for (name, uri) in [
        ("seances.html", "/gestion"),
        ("seance.html", "/gestion/seances/1"),
        ("point.html", "/gestion/seances/1/points/1"),
        ("comptes.html", "/gestion/comptes"),
    ] {
        let reply = admin.get(&app, uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        pages.push((name, reply.body));
    }
    let refused = admin
        .form(&app, "/gestion/seances", &[("date", "demain")])
        .await;
    pages.push(("refus.html", refused.body));
    common::assert_valid_html(&pages);
}

/// The seed's grant after its vote: signed by the instructing direction, paid by finance,
/// its balance waiting for a report that comes late; beneficiaries, bank details and
/// budget lines entered by the roles that own them.
#[tokio::test]
async fn the_seed_grant_is_signed_paid_and_followed_in_the_back_office() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = common::demo_acta(&db).await;
        common::accounts(&acta, &["instructeur", "finances", "elu", "administrateur"]).await;
        let dir = tempfile::tempdir().unwrap();
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        let instructor = Session::open(&app, "instructeur").await;
        let finance = Session::open(&app, "finances").await;
        let member = Session::open(&app, "elu").await;

        let list = member.get(&app, "/gestion/aides").await.text();
        assert!(list.contains("href=\"/gestion/aides/1\""), "{list}");
        assert!(list.contains("N°2023-479"), "{list}");
        let page = member
            .get(&app, "/gestion/aides/1")
            .await
            .text()
            .replace(['\u{202f}', '\u{a0}'], " ");
        assert!(page.contains("Montant 120 000 €"), "{page}");
        assert!(
            !page.contains("<form method=\"post\" action=\"/gestion/aides/1/signature\""),
            "an elected member changes nothing"
        );

        // Finance does not sign; the instructing direction does.
        let refused = finance
            .form(
                &app,
                "/gestion/aides/1/signature",
                &[("date_signature", "2023-12-01")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let bad_date = instructor
            .form(
                &app,
                "/gestion/aides/1/signature",
                &[("date_signature", "le 1er")],
            )
            .await;
        assert_eq!(
            bad_date.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            bad_date.text()
        );
        let signed = instructor
            .form(
                &app,
                "/gestion/aides/1/signature",
                &[("date_signature", "2023-12-01")],
            )
            .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text());
        let received = instructor
            .form(
                &app,
                "/gestion/aides/1/documents",
                &[
                    ("document_tranche", "1"),
                    ("date_reception", "2023-12-04"),
                    ("description", "Appel à versement"),
                ],
            )
            .await;
        assert_eq!(
            received.status,
            StatusCode::SEE_OTHER,
            "{}",
            received.text()
        );
        let too_much = finance
            .form(
                &app,
                "/gestion/aides/1/versements",
                &[
                    ("versement_tranche", "1"),
                    ("date_versement", "2023-12-15"),
                    ("montant", "150 000"),
                    ("reference", "M-2023-0001"),
                ],
            )
            .await;
        assert_eq!(
            too_much.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            too_much.text()
        );
        let paid = finance
            .form(
                &app,
                "/gestion/aides/1/versements",
                &[
                    ("versement_tranche", "1"),
                    ("date_versement", "2023-12-15"),
                    ("montant", "100 000"),
                    ("reference", "M-2023-0001"),
                ],
            )
            .await;
        assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.text());
        let page = member
            .get(&app, "/gestion/aides/1")
            .await
            .text()
            .replace(['\u{202f}', '\u{a0}'], " ");
        assert!(page.contains("versé 100 000 €"), "{page}");
        assert!(page.contains("mandat M-2023-0001"), "{page}");

        // The activity report is due by 30 June 2024: on the test's clock (15 January
        // 2024) nothing is late yet; on 1 July 2024 it is.
        let overdue = member.get(&app, "/gestion/echeances").await.text();
        assert!(overdue.contains("Aucun document en retard."), "{overdue}");
        let late = acta.overdue_documents("2024-07-01").await.unwrap();
        assert_eq!(late.len(), 1);

        let pdf = member.get(&app, "/gestion/aides/1/convention.pdf").await;
        assert_eq!(pdf.content_type(), "application/pdf");
        assert!(pdf.body.starts_with(b"%PDF-"));
        let csv = member.get(&app, "/gestion/exports/subventions.csv").await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.text());
        assert!(csv.text().contains("13002374000439"), "{}", csv.text());

        // A beneficiary with a wrong SIRET is refused by name; a good one is recorded,
        // and finance records its bank account.
        let wrong = instructor
            .form(
                &app,
                "/gestion/beneficiaires",
                &[
                    ("nom", "Association des Amis du Beffroi"),
                    ("statut", "association loi 1901"),
                    ("siret", "13002374000438"),
                    ("adresse", "1 place des Héros"),
                    ("code_postal", "62000"),
                    ("ville", "Arras"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            wrong
                .text()
                .contains("SIRET : « 13002374000438 » est invalide"),
            "{}",
            wrong.text()
        );
        let made = instructor
            .form(
                &app,
                "/gestion/beneficiaires",
                &[
                    ("nom", "Association des Amis du Beffroi"),
                    ("statut", "association loi 1901"),
                    ("rna", "W623001234"),
                    ("adresse", "1 place des Héros"),
                    ("code_postal", "62000"),
                    ("ville", "Arras"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
        let beneficiary = made.location().to_string();
        let account = finance
            .form(
                &app,
                &format!("{beneficiary}/comptes"),
                &[
                    ("titulaire", "Amis du Beffroi"),
                    ("banque", "Crédit Mutuel"),
                    ("rib", "13507-00100-30765812164-66"),
                ],
            )
            .await;
        assert_eq!(account.status, StatusCode::SEE_OTHER, "{}", account.text());
        assert!(
            member
                .get(&app, &beneficiary)
                .await
                .text()
                .contains("FR76 1350 7001 0030 7658 1216 466")
        );

        let line = finance
            .form(
                &app,
                "/gestion/budget",
                &[
                    ("ligne_annee", "2024"),
                    ("operation", "C01-ASSO"),
                    ("libelle", "SUBVENTIONS AUX ASSOCIATIONS"),
                    ("imputation", "65748//93221"),
                    ("vote", "50 000"),
                ],
            )
            .await;
        assert_eq!(line.status, StatusCode::SEE_OTHER, "{}", line.text());
        assert_eq!(line.location(), "/gestion/budget?annee=2024");
        let budget = member.get(&app, "/gestion/budget?annee=2024").await.text();
        assert!(budget.contains("C01-ASSO"), "{budget}");
        if db.name() == "SQLite" {
            // Every form of these pages is shown to an administrator: all pass the checker.
            let admin = Session::open(&app, "administrateur").await;
            let mut pages = Vec::new();
            for (name, uri) in [
                ("aides.html", "/gestion/aides"),
                ("aide.html", "/gestion/aides/1"),
                ("beneficiaires.html", "/gestion/beneficiaires"),
                ("beneficiaire.html", "/gestion/beneficiaires/1"),
                ("budget.html", "/gestion/budget?annee=2023"),
                ("echeances.html", "/gestion/echeances"),
                ("exports.html", "/gestion/exports"),
                ("deliberation.html", "/gestion/deliberations/2023-479"),
            ] {
                let reply = admin.get(&app, uri).await;
                assert_eq!(reply.status, StatusCode::OK, "{uri}");
                pages.push((name, reply.body));
            }
            common::assert_valid_html(&pages);
        }
        db.cleanup().await.unwrap();
    }
}

/// The grant's execution through the JSON API, each write by the role that owns it.
#[tokio::test]
async fn the_api_follows_the_seed_grant_after_its_vote() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = common::demo_acta(&db).await;
        common::accounts(&acta, &["instructeur", "finances", "assemblees"]).await;
        let dir = tempfile::tempdir().unwrap();
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        let instructor = Session::open(&app, "instructeur").await;
        let finance = Session::open(&app, "finances").await;
        let staff = Session::open(&app, "assemblees").await;

        let refused = finance
            .post_json(
                &app,
                "/api/aides/1/signature",
                json!({"date": "2023-12-01"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let signed = instructor
            .post_json(
                &app,
                "/api/aides/1/signature",
                json!({"date": "2023-12-01"}),
            )
            .await;
        assert_eq!(signed.status, StatusCode::NO_CONTENT, "{}", signed.text());
        let received = instructor
            .post_json(
                &app,
                "/api/aides/1/documents",
                json!({"tranche": 1, "date": "2023-12-04", "description": "Appel à versement"}),
            )
            .await;
        assert_eq!(
            received.status,
            StatusCode::NO_CONTENT,
            "{}",
            received.text()
        );
        let paid = finance
            .post_json(
                &app,
                "/api/aides/1/versements",
                json!({"tranche": 1, "date": "2023-12-15", "montant": "100 000", "reference": "M-2023-0001"}),
            )
            .await;
        assert_eq!(paid.status, StatusCode::OK, "{}", paid.text());
        assert_eq!(paid.json()["paid"], 10_000_000, "centimes: {}", paid.text());
        let two_grounds = finance
            .post_json(
                &app,
                "/api/aides/1/reversements",
                json!({"total": "no_accounts", "executed": "75 %", "date": "2024-09-01"}),
            )
            .await;
        assert_eq!(two_grounds.status, StatusCode::UNPROCESSABLE_ENTITY);
        let decided = finance
            .post_json(
                &app,
                "/api/aides/1/reversements",
                json!({"executed": "75 %", "date": "2024-09-01"}),
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{}", decided.text());
        let grant = staff.get(&app, "/api/aides/1").await;
        assert_eq!(grant.status, StatusCode::OK);
        assert_eq!(grant.json()["decisions"].as_array().unwrap().len(), 1);

        let bad_siret = instructor
            .post_json(
                &app,
                "/api/beneficiaires",
                json!({"name": "Amis du Beffroi", "legal_status": "association loi 1901", "siret": "13002374000438",
                       "address": {"street": "1 place des Héros", "postal_code": "62000", "city": "Arras"}}),
            )
            .await;
        assert_eq!(bad_siret.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_siret.json()["errors"][0]["field"], "siret");
        let line = finance
            .post_json(
                &app,
                "/api/lignes-budgetaires",
                json!({"year": 2024, "operation_code": "C01-ASSO", "label": "SUBVENTIONS", "imputation": "65748//93221", "voted": "50 000"}),
            )
            .await;
        assert_eq!(line.status, StatusCode::CREATED, "{}", line.text());
        let moved = staff
            .post_json(
                &app,
                "/api/seances/1/mouvements",
                json!({"elu": "Daniel MACIEJASZ", "sens": "ailleurs", "a_partir_du_point": 1}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(moved.json()["errors"][0]["field"], "sens");
        db.cleanup().await.unwrap();
    }
}

/// The payment's mandate date, one field added end to end: the form, the JSON API and the
/// OpenAPI document take it, the domain checks it, the store keeps it, the page shows it.
#[tokio::test]
async fn a_payment_carries_its_mandate_date_through_the_form_the_api_and_the_openapi_document() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = common::demo_acta(&db).await;
        common::accounts(&acta, &["instructeur", "finances"]).await;
        let dir = tempfile::tempdir().unwrap();
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        let instructor = Session::open(&app, "instructeur").await;
        let finance = Session::open(&app, "finances").await;
        instructor
            .post_json(
                &app,
                "/api/aides/1/signature",
                json!({"date": "2023-12-01"}),
            )
            .await;
        instructor
            .post_json(
                &app,
                "/api/aides/1/documents",
                json!({"tranche": 1, "date": "2023-12-04", "description": "Appel à versement"}),
            )
            .await;
        let late = finance
            .post_json(
                &app,
                "/api/aides/1/versements",
                json!({"tranche": 1, "date": "2023-12-15", "montant": "50 000", "reference": "M-1", "date_mandat": "2023-12-18"}),
            )
            .await;
        assert_eq!(
            late.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            late.text()
        );
        assert_eq!(
            late.json()["errors"][0]["field"],
            "date_mandat",
            "{}",
            late.text()
        );
        let paid = finance
            .post_json(
                &app,
                "/api/aides/1/versements",
                json!({"tranche": 1, "date": "2023-12-15", "montant": "50 000", "reference": "M-1", "date_mandat": "2023-12-11"}),
            )
            .await;
        assert_eq!(paid.status, StatusCode::OK, "{}", paid.text());
        assert_eq!(paid.json()["payments"][0]["mandate_date"], "2023-12-11");
        let form = finance
            .form(
                &app,
                "/gestion/aides/1/versements",
                &[
                    ("tranche", "1"),
                    ("date", "2023-12-20"),
                    ("montant", "50 000"),
                    ("reference", "M-2"),
                    ("date_mandat", "2023-12-19"),
                ],
            )
            .await;
        assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.text());
        let page = finance
            .get(&app, "/gestion/aides/1")
            .await
            .text()
            .replace(['\u{202f}', '\u{a0}'], " ");
        assert!(page.contains("mandat M-1 du 11 décembre 2023"), "{page}");
        assert!(page.contains("mandat M-2 du 19 décembre 2023"), "{page}");
        assert!(page.contains("name=\"date_mandat\""), "{page}");
        let spec = acta_server::openapi::spec();
        assert_eq!(
            spec["components"]["schemas"]["PaymentInput"]["properties"]["date_mandat"]["type"],
            "string",
            "{}",
            spec["components"]["schemas"]["PaymentInput"]
        );
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_api_signs_the_seed_deliberation_verifies_it_and_refuses_what_cannot_be() {
    use base64::Engine;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let authority = acta_sign::testing::TestAuthority::new().unwrap();
    for db in TestDatabase::all().await.unwrap() {
        let acta = common::demo_acta(&db).await;
        common::accounts(&acta, &["administrateur", "assemblees", "elu"]).await;
        let dir = tempfile::tempdir().unwrap();
        let p12 = dir.path().join("president.p12");
        std::fs::write(
            &p12,
            authority
                .issue(
                    "Jean-Claude LEROY",
                    acta_sign::testing::KeyKind::EcP256,
                    2023,
                    2030,
                )
                .unwrap(),
        )
        .unwrap();
        let password = dir.path().join("mot-de-passe");
        std::fs::write(&password, acta_sign::testing::PASSWORD).unwrap();
        let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
        let admin = Session::open(&app, "administrateur").await;
        let staff = Session::open(&app, "assemblees").await;
        let member = Session::open(&app, "elu").await;

        // No platform configured: not transmitted, with the reason.
        let refused = staff
            .post_json(&app, "/api/transmissions/2023-479", json!({}))
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
        assert!(
            refused.json()["detail"]
                .as_str()
                .unwrap()
                .contains("n'est pas configurée")
        );
        let none = staff.get(&app, "/api/transmissions/2023-479").await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);

        // The President's certificate, registered by an administrator only.
        let signer = json!({
            "nom": "Jean-Claude LEROY",
            "qualite": "president",
            "certificat": p12.to_string_lossy(),
            "mot_de_passe_depuis": format!("file:{}", password.to_string_lossy()),
        });
        let forbidden = staff
            .post_json(&app, "/api/signataires", signer.clone())
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
        let added = admin.post_json(&app, "/api/signataires", signer).await;
        assert_eq!(added.status, StatusCode::NO_CONTENT, "{}", added.text());
        let listed = admin.get(&app, "/api/signataires").await.json();
        assert_eq!(listed[0]["nom"], "Jean-Claude LEROY");
        assert!(!listed.to_string().contains(acta_sign::testing::PASSWORD));

        // Prepared, then signed; an elected member may read but not sign.
        let prepared = staff
            .post_json(
                &app,
                "/api/signatures/deliberation/2023-479/preparation",
                json!({}),
            )
            .await;
        assert_eq!(prepared.status, StatusCode::OK, "{}", prepared.text());
        assert_eq!(prepared.json()["etat"], "a-signer");
        let sign = json!({"signataire": "Jean-Claude LEROY"});
        let by_member = member
            .post_json(
                &app,
                "/api/signatures/deliberation/2023-479/signature",
                sign.clone(),
            )
            .await;
        assert_eq!(by_member.status, StatusCode::FORBIDDEN);
        let signed = staff
            .post_json(
                &app,
                "/api/signatures/deliberation/2023-479/signature",
                sign,
            )
            .await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
        assert_eq!(signed.json()["etat"], "signe");
        let status = member
            .get(&app, "/api/signatures/deliberation/2023-479")
            .await;
        assert_eq!(status.json()["signataires"][0]["nom"], "Jean-Claude LEROY");

        // The signed PDF verifies; a byte changed, it does not.
        let pdf = staff
            .get(&app, "/gestion/deliberations/2023-479/signature.pdf")
            .await
            .body;
        assert!(pdf.starts_with(b"%PDF"));
        let verified = member
            .post_json(&app, "/api/verification", json!({"pdf_base64": b64(&pdf)}))
            .await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.text());
        assert_eq!(verified.json()["valide"], true, "{}", verified.text());
        let mut tampered = pdf.clone();
        let at = tampered.windows(8).position(|w| w == b"/Creator").unwrap();
        tampered[at + 10] ^= 1;
        let refused = member
            .post_json(
                &app,
                "/api/verification",
                json!({"pdf_base64": b64(&tampered)}),
            )
            .await;
        assert_eq!(refused.json()["valide"], false);
        assert!(
            refused.json()["verdict"]
                .as_str()
                .unwrap()
                .contains("modifié"),
            "{}",
            refused.text()
        );
        let garbage = member
            .post_json(&app, "/api/verification", json!({"pdf_base64": "!!"}))
            .await;
        assert_eq!(
            garbage.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            garbage.text()
        );

        // Signed, but no platform configured: a French refusal, nothing queued.
        let unconfigured = staff
            .post_json(&app, "/api/transmissions/2023-479", json!({}))
            .await;
        assert_eq!(
            unconfigured.status,
            StatusCode::CONFLICT,
            "{}",
            unconfigured.text()
        );
        assert!(
            unconfigured.json()["detail"]
                .as_str()
                .unwrap()
                .contains("n'est pas configurée"),
            "{}",
            unconfigured.text()
        );
        let still_none = staff.get(&app, "/api/transmissions/2023-479").await;
        assert_eq!(still_none.status, StatusCode::NOT_FOUND);
        db.cleanup().await.unwrap();
    }
}
