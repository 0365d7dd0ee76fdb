//! The back office and the portal in a real browser: headless Chromium driven through
//! chromedriver (WebDriver), against the server listening on loopback. A member of the
//! assemblies service logs in, creates the sitting of 20 November 2023, adds the seed's
//! report, records the roll call and the groups' vote (the quorum and majority refresh as
//! she types), closes the item, opens deliberation 2023-479 and downloads its PDF, signs
//! it with the President's certificate, transmits it to the prefecture through a stand-in
//! S²LOW and sees the acknowledgement, logs out and finds it on the public portal. An
//! elected member follows her convocation link. An association (on both databases)
//! registers, applies, sends the pieces asked for, is notified, sends its countersigned
//! convention and activity report, and sees each tranche become payable and paid. On every
//! page visited, axe-core reports no serious or critical accessibility violation.
//!
//! Needs ACTA_AXE_JS (axe.min.js from the npm package axe-core), and chromedriver and
//! chromium (ACTA_CHROMEDRIVER, ACTA_CHROMIUM; Debian's paths by default). `.ci/run`
//! installs and sets them (with ACTA_REQUIRE_BROWSER, so that it cannot be skipped there);
//! elsewhere, without ACTA_AXE_JS, the test says why it does not run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::input::{SignerInput, TdtSettingsInput};
use acta_app::{Acta, Actor};
use acta_server::{AppState, router};
use acta_sign::testing::{KeyKind, PASSWORD, TestAuthority};
use acta_store::testing::TestDatabase;
use acta_tdt_standin::{Authority, CLIENT_PASSWORD, StandIn};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const TITLE: &str =
    "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023";

/// chromedriver, stopped when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_driver(path: &str) -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let driver = Driver(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (driver, port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start on port {port}");
}

/// Chromium as this closed network needs it: headless, no sandbox (root), nothing fetched
/// in the background, a profile of its own.
async fn browser(driver_port: u16, chromium: &str, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1024",
                format!("--user-data-dir={}", profile.display())
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a Chromium session")
}

/// Runs axe-core on the page and fails on any serious or critical violation.
async fn assert_accessible(client: &Client, axe: &str, page: &str) {
    client.execute(axe, vec![]).await.unwrap();
    let found = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ["violations"] })
  .then(r => done(r.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.help + " — " + v.nodes.map(n => n.target.join(" ")).join(", "))))
  .catch(e => done(["axe-core : " + e]));"#,
            vec![],
        )
        .await
        .unwrap();
    let violations: Vec<String> = serde_json::from_value(found).unwrap();
    assert!(violations.is_empty(), "{page}: {violations:#?}");
}

/// What a browser test needs: axe-core's script, chromedriver and chromium.
struct Tools {
    axe: String,
    chromedriver: String,
    chromium: String,
}

/// The tools, or None (the test is skipped, saying why) when ACTA_AXE_JS is not set.
fn tools() -> Option<Tools> {
    let Ok(axe_path) = std::env::var("ACTA_AXE_JS") else {
        // CI sets ACTA_REQUIRE_BROWSER: there, a skipped browser test is a failure.
        assert!(
            std::env::var_os("ACTA_REQUIRE_BROWSER").is_none(),
            "ACTA_REQUIRE_BROWSER is set but ACTA_AXE_JS is not"
        );
        eprintln!(
            "ACTA_AXE_JS non défini : test dans le navigateur sauté (.ci/run installe axe-core, chromium et chromedriver)."
        );
        return None;
    };
    Some(Tools {
        axe: std::fs::read_to_string(&axe_path).unwrap_or_else(|e| panic!("{axe_path}: {e}")),
        chromedriver: std::env::var("ACTA_CHROMEDRIVER")
            .unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        chromium: std::env::var("ACTA_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    })
}

async fn body_text(client: &Client) -> String {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn fill(client: &Client, id: &str, value: &str) {
    let input = client.find(Locator::Id(id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn choose(client: &Client, label: &str, value: &str) {
    client
        .find(Locator::Css(&format!("select[aria-label=\"{label}\"]")))
        .await
        .unwrap_or_else(|e| panic!("{label}: {e}"))
        .select_by_value(value)
        .await
        .unwrap();
}

/// Clicks a button that submits a form or a link that leaves the page, and waits for the
/// next page: WebDriver's click returns before the navigation ends.
async fn click_and_wait(client: &Client, target: Locator<'_>, what: &str) {
    let old = client.find(Locator::Css("html")).await.unwrap();
    client
        .find(target)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .click()
        .await
        .unwrap();
    for _ in 0..200 {
        // The old page's root goes stale once the new page has replaced it.
        if old.text().await.is_err() {
            let ready = client
                .execute("return document.readyState;", vec![])
                .await
                .unwrap();
            if ready == "complete" {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: no new page after 10 s");
}

async fn click_button(client: &Client, text: &str) {
    let xpath = format!("//button[normalize-space()=\"{text}\"]");
    click_and_wait(client, Locator::XPath(&xpath), text).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sitting_is_held_in_the_browser_and_its_deliberation_published() {
    let Some(Tools {
        axe,
        chromedriver,
        chromium,
    }) = tools()
    else {
        return;
    };

    // The seed's standing data, its sequence at 478, and an account of the assemblies
    // service; the server on a free port of the loopback.
    let db = TestDatabase::sqlite().await.unwrap();
    let actor = Actor::new("test");
    let acta = Acta::with_store(db.store.clone()).with_clock(common::clock());
    acta.load_demo_referential(&actor).await.unwrap();
    acta.set_numbering(&actor, "cp", 2023, 478).await.unwrap();
    // An administrator: the one account does the assemblies service's and the
    // instructing direction's parts.
    common::accounts(&acta, &["administrateur"]).await;
    let dir = tempfile::tempdir().unwrap();
    // The President's certificate (a test authority's), and the prefecture's platform.
    let authority = TestAuthority::new().unwrap();
    let p12 = dir.path().join("president.p12");
    std::fs::write(
        &p12,
        authority
            .issue("Jean-Claude LEROY", KeyKind::EcP256, 2023, 2030)
            .unwrap(),
    )
    .unwrap();
    let password = dir.path().join("mot-de-passe");
    std::fs::write(&password, PASSWORD).unwrap();
    acta.add_signer(
        &actor,
        &SignerInput {
            name: "Jean-Claude LEROY".into(),
            role: "president".into(),
            pkcs12: p12.to_string_lossy().into(),
            password_from: format!("file:{}", password.to_string_lossy()),
        },
    )
    .await
    .unwrap();
    let platform = StandIn::start(Authority {
        siren: "226200012".into(),
        department_code_3: "062".into(),
        name: "Département du Pas-de-Calais".into(),
    })
    .await
    .unwrap();
    platform.set_reception_date(jiff::civil::date(2024, 1, 16));
    let connection = dir.path().join("connexion.p12");
    std::fs::write(&connection, platform.client_pkcs12()).unwrap();
    let connection_password = dir.path().join("connexion-mot-de-passe");
    std::fs::write(&connection_password, CLIENT_PASSWORD).unwrap();
    let platform_authority = dir.path().join("plateforme.pem");
    std::fs::write(&platform_authority, platform.platform_root_pem()).unwrap();
    acta.configure_tdt(
        &actor,
        &TdtSettingsInput {
            url: platform.base_url(),
            pkcs12: connection.to_string_lossy().into(),
            password_from: format!("file:{}", connection_password.to_string_lossy()),
            platform_authority: Some(platform_authority.to_string_lossy().into()),
            ..TdtSettingsInput::default()
        },
    )
    .await
    .unwrap();
    let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let (_driver, driver_port) = start_driver(&chromedriver).await;
    let client = browser(driver_port, &chromium, &dir.path().join("profile")).await;
    let result = run(&client, &base, &axe).await;
    let _ = client.close().await;
    result.unwrap();
    assert_eq!(platform.acts().len(), 1);
}

async fn run(c: &Client, base: &str, axe: &str) -> Result<(), fantoccini::error::CmdError> {
    // The back office sends an anonymous visitor to the log-in form.
    c.goto(&format!("{base}/gestion")).await?;
    assert!(
        c.current_url()
            .await?
            .as_str()
            .contains("/connexion?suite=/gestion")
    );
    assert_accessible(c, axe, "connexion").await;
    fill(c, "identifiant", "administrateur").await;
    fill(c, "mot_de_passe", common::PASSWORD).await;
    click_button(c, "Se connecter").await;
    assert!(
        body_text(c)
            .await
            .contains("Agent administrateur — Administrateur")
    );
    assert_accessible(c, axe, "séances").await;

    // The sitting. Date fields are typed as the browser's locale wants them: the value is
    // set directly instead.
    c.find(Locator::Id("instance"))
        .await?
        .select_by_value("2")
        .await?;
    c.execute(
        "document.getElementById('date').value = '2023-11-20';",
        vec![],
    )
    .await?;
    fill(c, "president", "Jean-Claude LEROY").await;
    fill(c, "secretaire", "Maryse DELASSUS").await;
    click_button(c, "Créer la séance").await;
    assert!(
        c.current_url()
            .await?
            .path()
            .starts_with("/gestion/seances/")
    );
    let sitting = c.current_url().await?.to_string();
    let text = body_text(c).await;
    assert!(text.contains("20 novembre 2023"), "{text}");
    assert_accessible(c, axe, "séance").await;

    // The seed's report.
    fill(c, "rapport", "20").await;
    fill(c, "titre", TITLE).await;
    fill(c, "matiere", "7.5").await;
    click_button(c, "Inscrire le rapport").await;
    let item = c.current_url().await?.to_string();
    assert!(item.ends_with("/points/1"), "{item}");

    // The report's award: the line's credits follow the amount as it is typed.
    fill(c, "montant", "120 000").await;
    let mut credits = String::new();
    for _ in 0..50 {
        credits = c.find(Locator::Id("credits")).await?.text().await?;
        if credits.contains("cette attribution 120") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let credits = credits.replace(['\u{202f}', '\u{a0}'], " ");
    assert!(
        credits.contains("disponible 120 000 € · cette attribution 120 000 € · solde après 0 €"),
        "{credits}"
    );
    fill(
        c,
        "objet",
        "la réalisation du programme d'actions tel que décrit au rapport en annexe",
    )
    .await;
    click_button(c, "Proposer l'attribution").await;

    // The draft deliberation's article.
    fill(
        c,
        "articles",
        "Article 1 : D’attribuer à la Chambre de Métiers et de l’Artisanat (CMA) de région Hauts-de-France, la participation financière de 120 000 € au titre de l’année 2023.",
    )
    .await;
    click_button(c, "Enregistrer le projet").await;
    assert!(body_text(c).await.contains("proposée"));

    // The roll call: everyone present but the seed's excused and non-voting members.
    c.goto(&sitting).await?;
    c.find(Locator::Id("tous_presents")).await?.click().await?;
    for (name, status) in [
        ("M. Pierre GEORGET", "excused"),
        ("Mme Stéphanie RIGAUX", "excused"),
        ("M. Jean-Louis COTTIGNY", "present_without_vote"),
        ("M. Bertrand PETIT", "present_without_vote"),
        ("M. Jean-Marc TELLIER", "present_without_vote"),
        ("M. Michel DAGBERT", "excused_without_vote"),
    ] {
        choose(c, &format!("Présence de {name}"), status).await;
    }
    click_button(c, "Enregistrer l'appel").await;
    let text = body_text(c).await;
    assert!(text.contains("42 présent(s), 2 excusé(s)"), "{text}");

    // The vote by groups, with the totals: the page works the majority out as it is typed.
    c.goto(&item).await?;
    let text = body_text(c).await;
    assert!(
        text.contains("42 présents ou représentés sur 44 en exercice, quorum 23 : atteint"),
        "{text}"
    );
    assert_accessible(c, axe, "point").await;
    fill(c, "pour", "44").await;
    fill(c, "contre", "0").await;
    fill(c, "abstention", "0").await;
    for group in [
        "Groupe Socialiste, Républicain et Citoyen",
        "Groupe Communiste et Républicain",
        "Groupe Union pour le Pas-de-Calais",
        "Groupe Rassemblement National",
        "Non-inscrit",
    ] {
        choose(c, &format!("Position du {group}"), "pour").await;
    }
    let live = "Suffrages exprimés : 44 (44 pour, 0 contre), majorité requise 23 : adopté.";
    let mut refreshed = false;
    for _ in 0..50 {
        let evaluation = c.find(Locator::Id("evaluation")).await?.text().await?;
        if evaluation.contains(live) {
            refreshed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refreshed, "the majority is shown as the vote is typed");
    click_button(c, "Clore le point et numéroter").await;
    let text = body_text(c).await;
    assert!(
        text.contains("Adopté — délibération N°2023-479 (@ctes : 2023_479)"),
        "{text}"
    );
    assert_accessible(c, axe, "point clos").await;

    // The award, adopted with the deliberation, waits for its convention.
    c.goto(&format!("{base}/gestion/aides")).await?;
    assert_accessible(c, axe, "aides").await;
    click_and_wait(c, Locator::LinkText("n°1"), "aide n°1").await;
    let text = body_text(c).await;
    assert!(text.contains("Pas encore de convention."), "{text}");
    assert_accessible(c, axe, "aide").await;
    c.goto(&item).await?;

    // The deliberation and its PDF, downloaded by the browser.
    click_and_wait(
        c,
        Locator::LinkText("Voir la délibération"),
        "Voir la délibération",
    )
    .await;
    assert!(
        c.current_url()
            .await?
            .path()
            .ends_with("/deliberations/2023-479")
    );
    let text = body_text(c).await;
    assert!(text.contains("CHAMBRE DE MÉTIERS"), "{text}");
    assert!(
        text.contains("la participation financière de 120 000"),
        "{text}"
    );
    assert_accessible(c, axe, "délibération").await;
    let pdf: Value = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
const link = Array.from(document.querySelectorAll("a")).find(a => a.href.endsWith("/pdf"));
fetch(link.href).then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get("content-type"),
  String.fromCharCode(...new Uint8Array(b.slice(0, 5))), b.byteLength])))
  .catch(e => done(["échec", String(e)]));"#,
            vec![],
        )
        .await?;
    assert_eq!(pdf[0], 200, "{pdf}");
    assert_eq!(pdf[1], "application/pdf", "{pdf}");
    assert_eq!(pdf[2], "%PDF-", "{pdf}");
    assert!(pdf[3].as_u64().unwrap() > 10_000, "{pdf}");

    // Signed by the President, then transmitted: the platform acknowledges it.
    c.goto(&item).await?;
    click_and_wait(
        c,
        Locator::LinkText("Délibération N°2023-479 : signature et transmission à la préfecture"),
        "signature et transmission",
    )
    .await;
    assert!(
        body_text(c)
            .await
            .contains("La délibération n'a pas été préparée pour signature.")
    );
    assert_accessible(c, axe, "délibération à signer").await;
    click_button(c, "Préparer la signature").await;
    let text = body_text(c).await;
    assert!(text.contains("version 1 : à signer"), "{text}");
    c.find(Locator::Id("signataire"))
        .await?
        .select_by_value("Jean-Claude LEROY")
        .await?;
    click_button(c, "Signer").await;
    let text = body_text(c).await;
    assert!(
        text.contains("version 1 : signé.") && text.contains("signé le 15 janvier 2024"),
        "{text}"
    );
    assert!(text.contains("CN=Jean-Claude LEROY"), "{text}");
    click_button(c, "Transmettre à la préfecture").await;
    let text = body_text(c).await;
    assert!(text.contains("Déposée sur la plateforme"), "{text}");
    click_button(c, "Relever la plateforme").await;
    click_button(c, "Relever la plateforme").await;
    let text = body_text(c).await;
    assert!(
        text.contains(
            "Transmis le 16 janvier 2024 (accusé de réception 062-226200012-20231120-2023_479-DE)"
        ),
        "{text}"
    );
    assert!(text.contains("Accusé de réception (ARActe)"), "{text}");
    assert_accessible(c, axe, "délibération transmise").await;
    assert!(
        text.contains("Non exécutoire : il manque la publication."),
        "{text}"
    );
    click_button(c, "Publier sur le portail").await;
    let text = body_text(c).await;
    assert!(text.contains("Exécutoire depuis le"), "{text}");
    assert!(text.contains("Publié le 15 janvier 2024"), "{text}");
    assert_accessible(c, axe, "délibération publiée").await;

    // Logged out, the visitor finds it on the public portal.
    c.goto(&format!("{base}/gestion")).await?;
    click_button(c, "Se déconnecter").await;
    assert_eq!(c.current_url().await?.path(), "/");
    assert_accessible(c, axe, "accueil").await;
    assert!(body_text(c).await.contains("N°2023-479"));
    fill(c, "q", "chambre des metiers").await;
    click_button(c, "Rechercher").await;
    let text = body_text(c).await;
    assert!(text.contains("résultat"), "{text}");
    c.find(Locator::Css("a[href=\"/deliberations/2023-479\"]"))
        .await?;
    assert_accessible(c, axe, "recherche").await;
    // The act's public page carries the mentions of R3131-2; its sitting lists it.
    c.goto(&format!("{base}/deliberations/2023-479")).await?;
    let text = body_text(c).await;
    for mention in [
        "Auteur : ",
        "Jean-Claude LEROY",
        "Publié le 15 janvier 2024",
        "Mis en ligne le 15 janvier 2024",
        "Exécutoire depuis le",
    ] {
        assert!(text.contains(mention), "{mention}: {text}");
    }
    assert_accessible(c, axe, "délibération publiée (portail)").await;
    c.goto(&format!("{base}/seances/2023-11-20")).await?;
    assert!(body_text(c).await.contains("N°2023-479"));
    assert_accessible(c, axe, "séance (portail)").await;
    c.goto(&format!("{base}/donnees")).await?;
    assert_accessible(c, axe, "données ouvertes").await;
    c.goto(&format!("{base}/gestion")).await?;
    assert!(
        c.current_url().await?.as_str().contains("/connexion"),
        "the session is over"
    );
    Ok(())
}

/// The path before the sitting: the assemblies service convenes the seed's Commission
/// permanente from the back office (the mail goes to a local SMTP server); a member
/// follows the personal link of her message, logs in, annotates a report, gives a proxy
/// to a colleague and declares an interest. axe-core checks every page visited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_follows_her_convocation_link_in_the_browser() {
    let Some(Tools {
        axe,
        chromedriver,
        chromium,
    }) = tools()
    else {
        return;
    };

    let db = TestDatabase::sqlite().await.unwrap();
    let actor = Actor::new("test");
    Acta::with_store(db.store.clone())
        .with_clock(common::clock())
        .load_demo(&actor)
        .await
        .unwrap();
    // Nineteen days before the seed's sitting: the Commission's delay is kept.
    let acta = Acta::with_store(db.store.clone()).with_clock(acta_app::FixedClock(
        "2023-11-01T08:00:00Z".parse().unwrap(),
    ));
    acta.add_item(
        &actor,
        &"2023-11-20".parse().unwrap(),
        &acta_app::input::NewItem {
            report_number: 21,
            title: "FONDS D'INTERVENTION POUR L'ARTISANAT".into(),
            matter: Some("7.5".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    common::accounts(&acta, &["administrateur"]).await;
    // A report in preparation, in its second version, for the staff's pages.
    acta.create_circuit(
        &actor,
        &acta_app::input::CircuitInput {
            name: "Subventions".into(),
            steps: vec![
                "1:Direction:role=instructeur:texte".into(),
                "2:Finances:role=finances:budget".into(),
            ],
        },
    )
    .await
    .unwrap();
    let mut text = acta_app::input::ReportTextInput {
        title: "FONDS D'INTERVENTION POUR L'ARTISANAT – 2024".into(),
        expose: "Le fonds soutient les artisans.".into(),
        articles: vec!["D'approuver le fonds.".into()],
        budget: vec!["65738 – 50 000,00 €".into()],
        ..Default::default()
    };
    let draft = acta
        .create_report_draft(
            &actor,
            &acta_app::input::NewReportDraft {
                circuit: "Subventions".into(),
                sitting: Some("2023-11-20".into()),
                matter: Some("7.5".into()),
                text: text.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    text.budget = vec!["65738 – 60 000,00 €".into()];
    acta.edit_report_draft(&actor, draft, &text).await.unwrap();
    acta.create_account(
        &actor,
        &acta_app::accounts::NewAccount {
            login: "mdelassus".into(),
            name: "Mme Maryse DELASSUS".into(),
            role: "elu".into(),
            password: common::PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    acta.link_account_member(&actor, "mdelassus", "Maryse DELASSUS")
        .await
        .unwrap();
    for m in acta.members().await.unwrap() {
        let local = format!("elu{}", m.id);
        acta.set_member_email(
            &actor,
            &acta_app::input::MemberEmailInput {
                member: m.id.to_string(),
                email: Some(format!("{local}@elus.pasdecalais.fr")),
            },
        )
        .await
        .unwrap();
    }
    let sink = acta_mail_sink::MailSink::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    acta.configure_mail(
        &actor,
        &acta_app::input::MailSettingsInput {
            host: "127.0.0.1".into(),
            port: sink.port(),
            security: Some("aucune".into()),
            from: "assemblees@pasdecalais.fr".into(),
            public_url: base.clone(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let (_driver, driver_port) = start_driver(&chromedriver).await;
    let client = browser(driver_port, &chromium, &dir.path().join("profile")).await;
    let result = member_path(&client, &base, &axe, &acta, &sink).await;
    let _ = client.close().await;
    result.unwrap();
    let expected = acta
        .expected_attendance(&"2023-11-20".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        expected.proxies,
        [(
            "Mme Maryse DELASSUS".to_string(),
            "Mme Blandine DRAIN".to_string()
        )]
    );
}

async fn member_path(
    c: &Client,
    base: &str,
    axe: &str,
    acta: &Acta,
    sink: &acta_mail_sink::MailSink,
) -> Result<(), fantoccini::error::CmdError> {
    // The assemblies service: the reports' and circuits' pages, then the convocation.
    c.goto(&format!("{base}/gestion/seances/1/convocation"))
        .await?;
    fill(c, "identifiant", "administrateur").await;
    fill(c, "mot_de_passe", common::PASSWORD).await;
    click_button(c, "Se connecter").await;
    assert!(body_text(c).await.contains("pas encore convoquée"));
    assert_accessible(c, axe, "convocation à envoyer").await;
    click_button(c, "Envoyer la convocation").await;
    let page = body_text(c).await;
    assert!(page.contains("Convocation envoyée le 2023-11-01"), "{page}");
    assert!(page.contains("acceptee"));
    assert_accessible(c, axe, "convocation envoyée").await;
    c.goto(&format!("{base}/gestion/rapports")).await?;
    assert_accessible(c, axe, "rapports en préparation").await;
    c.goto(&format!("{base}/gestion/circuits")).await?;
    assert_accessible(c, axe, "circuits").await;
    c.goto(&format!("{base}/gestion/rapports/1?de=1&a=2"))
        .await?;
    let page = body_text(c).await;
    assert!(page.contains("Version 1 → version 2"), "{page}");
    assert!(page.contains("Budget : 65738 – 60 000,00 €"), "{page}");
    assert_accessible(c, axe, "rapport en préparation").await;
    click_button(c, "Se déconnecter").await;

    // The member's message and its personal link.
    let messages = sink.wait_for(44, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 44);
    let delassus = acta
        .members()
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.name.last_name == "DELASSUS")
        .unwrap();
    let drain = acta
        .members()
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.name.last_name == "DRAIN")
        .unwrap();
    let mine = messages
        .iter()
        .find(|m| m.to == [format!("elu{}@elus.pasdecalais.fr", delassus.id)])
        .unwrap();
    let text = mine.text();
    let link = text
        .lines()
        .find(|l| l.starts_with(&format!("{base}/elus/convocation/")))
        .unwrap()
        .trim()
        .to_string();
    c.goto(&link).await?;
    assert!(
        c.current_url()
            .await?
            .as_str()
            .contains("/connexion?suite=/elus/convocation/")
    );
    fill(c, "identifiant", "mdelassus").await;
    fill(c, "mot_de_passe", common::PASSWORD).await;
    click_button(c, "Se connecter").await;
    assert!(c.current_url().await?.path().starts_with("/elus/seances/"));
    assert!(
        body_text(c)
            .await
            .contains("Rapport n°21 – FONDS D'INTERVENTION POUR L'ARTISANAT")
    );
    assert_accessible(c, axe, "séance de l'élue").await;

    fill(c, "note-2", "Demander le bilan du fonds 2022.").await;
    click_button(c, "Enregistrer ma note sur le point 2").await;
    let note = c.find(Locator::Id("note-2")).await?.prop("value").await?;
    assert_eq!(note.as_deref(), Some("Demander le bilan du fonds 2022."));

    c.find(Locator::Id("reponse_pouvoir"))
        .await?
        .click()
        .await?;
    c.find(Locator::Id("mandataire"))
        .await?
        .select_by_value(&drain.id.to_string())
        .await?;
    click_button(c, "Enregistrer ma réponse").await;
    assert!(
        body_text(c)
            .await
            .contains("Vous avez répondu : Pouvoir à Mme Blandine DRAIN.")
    );

    fill(c, "interet-2", "administratrice de la Chambre de Métiers").await;
    click_button(c, "Déclarer un intérêt sur le point 2").await;
    assert!(
        body_text(c)
            .await
            .contains("Vous avez déclaré un intérêt sur ce point")
    );
    assert_accessible(c, axe, "séance de l'élue, réponses données").await;
    c.goto(&format!("{base}/elus")).await?;
    assert!(body_text(c).await.contains("Pouvoir à Mme Blandine DRAIN"));
    assert_accessible(c, axe, "mes séances").await;
    let opened = acta
        .convocation(&"2023-11-20".parse().unwrap())
        .await
        .unwrap();
    assert!(
        opened
            .deliveries
            .iter()
            .any(|d| d.member == "Mme Maryse DELASSUS" && d.opened_at.is_some())
    );
    Ok(())
}

/// A clock the test moves forward: the association applies in January, the Commission
/// permanente decides at the end of the month, the activity report comes in June.
#[derive(Clone)]
struct StepClock(std::sync::Arc<std::sync::Mutex<jiff::Timestamp>>);

impl StepClock {
    fn at(instant: &str) -> StepClock {
        StepClock(std::sync::Arc::new(std::sync::Mutex::new(
            instant.parse().unwrap(),
        )))
    }

    fn set(&self, instant: &str) {
        *self.0.lock().unwrap() = instant.parse().unwrap();
    }
}

impl acta_app::Clock for StepClock {
    fn now(&self) -> jiff::Timestamp {
        *self.0.lock().unwrap()
    }
}

const ASSOCIATION_PASSWORD: &str = "Fête de l'artisanat 2024";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_association_follows_its_grant_in_the_browser() {
    let Some(tools) = tools() else {
        return;
    };
    for db in TestDatabase::all().await.unwrap() {
        association_in_browser(&db, &tools).await;
        db.cleanup().await.unwrap();
    }
}

/// On one database: the server, the browser, the association's path.
async fn association_in_browser(db: &TestDatabase, tools: &Tools) {
    let Tools {
        axe,
        chromedriver,
        chromium,
    } = tools;
    let clock = StepClock::at("2024-01-15T08:00:00Z");
    let acta = Acta::with_store(db.store.clone()).with_clock(clock.clone());
    let staff = Actor::new("administrateur");
    acta.load_demo(&staff).await.unwrap();
    common::accounts(&acta, &["administrateur"]).await;
    acta.create_dispositif(
        &staff,
        &acta_app::input::DispositifInput {
            name: "Vie associative 2024".into(),
            eligibility: "Associations du Pas-de-Calais".into(),
            opens_on: "2024-01-01".into(),
            closes_on: "2024-06-30".into(),
            pieces: vec!["statuts".into(), "rib".into(), "budget_previsionnel".into()],
            cap: Some("20 000".into()),
            types: vec!["pdf".into(), "png".into()],
            direction: Some(
                "Direction du Développement de l’Aménagement et de l’Environnement".into(),
            ),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let sink = acta_mail_sink::MailSink::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    acta.configure_mail(
        &staff,
        &acta_app::input::MailSettingsInput {
            host: "127.0.0.1".into(),
            port: sink.port(),
            security: Some("aucune".into()),
            from: "subventions@pasdecalais.fr".into(),
            public_url: base.clone(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let app = router(AppState::new(acta.clone(), dir.path().join("index")).unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let files = dir.path().join("fichiers");
    std::fs::create_dir_all(&files).unwrap();
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    for name in [
        "statuts.pdf",
        "assurance.pdf",
        "convention.pdf",
        "rapport.pdf",
    ] {
        std::fs::write(files.join(name), pdf).unwrap();
    }
    std::fs::write(
        files.join("rib.png"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    )
    .unwrap();

    let (_driver, driver_port) = start_driver(chromedriver).await;
    let client = browser(driver_port, chromium, &dir.path().join("profile")).await;
    let result = association_path(&client, &base, axe, &acta, &clock, &sink, &files).await;
    let _ = client.close().await;
    result.unwrap();
}

async fn upload(c: &Client, piece: Option<&str>, file: &std::path::Path, button: &str) {
    if let Some(p) = piece {
        // By XPath: a value with an apostrophe breaks the CSS selector of select_by_value.
        c.find(Locator::XPath(&format!(
            "//select[@id=\"piece\"]/option[@value=\"{p}\"]"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    }
    c.find(Locator::Id("fichier"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    click_button(c, button).await;
}

async fn association_path(
    c: &Client,
    base: &str,
    axe: &str,
    acta: &Acta,
    clock: &StepClock,
    sink: &acta_mail_sink::MailSink,
    files: &std::path::Path,
) -> Result<(), fantoccini::error::CmdError> {
    let staff = Actor::new("administrateur");
    // The association registers and confirms its address.
    c.goto(&format!("{base}/beneficiaires/inscription")).await?;
    assert_accessible(c, axe, "inscription").await;
    for (id, value) in [
        ("nom", "Les Amis de l'Artisanat d'Arras"),
        ("statut", "association loi 1901"),
        ("rna", "W623000123"),
        ("adresse", "3 rue des Artisans"),
        ("code_postal", "62000"),
        ("ville", "Arras"),
        ("representant", "Claire MARTIN"),
        ("qualite", "Présidente"),
        ("nom_personne", "Claire MARTIN"),
        ("courriel", "claire@amis-artisanat.fr"),
        ("identifiant", "amis.artisanat"),
        ("mot_de_passe", ASSOCIATION_PASSWORD),
    ] {
        fill(c, id, value).await;
    }
    click_button(c, "Inscrire l'organisme").await;
    assert!(
        body_text(c)
            .await
            .contains("Un lien de confirmation est envoyé")
    );
    assert_accessible(c, axe, "inscription enregistrée").await;
    let link = sink.wait_for(1, Duration::from_secs(10)).await[0]
        .text()
        .lines()
        .find(|l| l.starts_with(&format!("{base}/beneficiaires/confirmation/")))
        .unwrap()
        .trim()
        .to_string();
    c.goto(&link).await?;
    assert!(body_text(c).await.contains("est ouvert"));
    click_and_wait(c, Locator::LinkText("Se connecter"), "se connecter").await;
    fill(c, "identifiant", "amis.artisanat").await;
    fill(c, "mot_de_passe", ASSOCIATION_PASSWORD).await;
    click_button(c, "Se connecter").await;
    assert_eq!(c.current_url().await?.path(), "/beneficiaires");
    assert_accessible(c, axe, "espace de l'association").await;

    // The application, its budget and pieces, the récépissé.
    click_and_wait(
        c,
        Locator::XPath("//a[starts-with(normalize-space(), \"Déposer une demande\")]"),
        "déposer une demande",
    )
    .await;
    assert_accessible(c, axe, "nouvelle demande").await;
    fill(c, "objet", "Fête de l'artisanat 2024").await;
    fill(c, "montant", "18 000").await;
    fill(
        c,
        "budget",
        "64 = 30 000\n70 = 12 000\n74-departement = 18 000",
    )
    .await;
    click_button(c, "Enregistrer le brouillon").await;
    assert!(body_text(c).await.contains("état : Brouillon"));
    assert_accessible(c, axe, "demande en brouillon").await;
    upload(
        c,
        Some("statuts"),
        &files.join("statuts.pdf"),
        "Envoyer la pièce",
    )
    .await;
    upload(c, Some("rib"), &files.join("rib.png"), "Envoyer la pièce").await;
    click_button(c, "Déposer la demande").await;
    let page = body_text(c).await;
    assert!(page.contains("récépissé n°2024-00001"), "{page}");
    assert!(page.contains("Télécharger le récépissé (PDF)"), "{page}");
    assert_accessible(c, axe, "demande déposée").await;
    let application_url = c.current_url().await?.to_string();
    let id: i64 = application_url
        .split(['/', '#'])
        .filter_map(|p| p.parse().ok())
        .next_back()
        .unwrap();

    // The direction asks for a missing piece; the association sends it.
    acta.request_piece(
        &staff,
        id,
        &acta_app::input::PieceRequestInput {
            piece: "autre:Attestation d'assurance".into(),
            message: "L'attestation d'assurance de la fête manque.".into(),
            due_on: "2024-01-31".into(),
        },
    )
    .await
    .unwrap();
    c.goto(&application_url).await?;
    let page = body_text(c).await;
    assert!(page.contains("Pièce demandée"), "{page}");
    assert!(page.contains("à envoyer"), "{page}");
    assert_accessible(c, axe, "pièce demandée").await;
    upload(
        c,
        Some("autre:Attestation d'assurance"),
        &files.join("assurance.pdf"),
        "Envoyer la pièce",
    )
    .await;
    assert!(body_text(c).await.contains("état : Déposée"));

    // Instructed, proposed for 15 000 € and adopted by the Commission permanente.
    acta.instruct_application(
        &staff,
        id,
        &acta_app::input::InstructionInput {
            opinion: "favorable".into(),
            reasons: "Projet structurant ; budget partiellement retenu".into(),
            proposed: Some("15 000".into()),
        },
        &common::renderer(),
    )
    .await
    .unwrap();
    let seed = acta
        .sitting_view(&"2023-11-20".parse().unwrap())
        .await
        .unwrap();
    acta.create_sitting(
        &staff,
        &acta_app::input::NewSitting {
            body: "cp".into(),
            date: "2024-01-29".into(),
            president: Some("Jean-Claude LEROY".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let next = "2024-01-29".parse().unwrap();
    acta.add_item(
        &staff,
        &next,
        &acta_app::input::NewItem {
            report_number: 1,
            title: "VIE ASSOCIATIVE – FÊTE DE L'ARTISANAT 2024".into(),
            matter: Some("7.5".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    acta.propose_application(
        &staff,
        id,
        &acta_app::input::ProposalInput {
            sitting: "2024-01-29".into(),
            item: 1,
            budget_line: seed_budget_line(acta).await,
            year: 2024,
            kind: String::new(),
        },
    )
    .await
    .unwrap();
    let present: Vec<String> = seed
        .attendance
        .present
        .iter()
        .map(|n| {
            n.trim_start_matches("M. ")
                .trim_start_matches("Mme ")
                .to_string()
        })
        .collect();
    acta.record_attendance(
        &staff,
        &next,
        &acta_app::input::AttendanceInput {
            statut: "present".into(),
            membres: present.clone(),
        },
    )
    .await
    .unwrap();
    acta.close_item(
        &staff,
        &next,
        1,
        Some(&acta_app::input::VoteInput::Totals {
            for_: u32::try_from(present.len()).unwrap(),
            against: 0,
            abstention: 0,
            not_participating: 0,
            groups: vec![],
        }),
        &acta_domain::item::VoteOptions {
            secret: false,
            president_vote: None,
        },
    )
    .await
    .unwrap();
    clock.set("2024-01-30T09:00:00Z");
    acta.notify_application_decision(&staff, id, &common::renderer())
        .await
        .unwrap();
    // Two weeks later the session has long ended: the association logs in again.
    log_in_again(c, base).await?;
    c.goto(&application_url).await?;
    let page = body_text(c).await;
    assert!(page.contains("état : Accordée"), "{page}");
    assert!(page.contains("lettre de notification"), "{page}");
    assert_accessible(c, axe, "demande accordée").await;

    // The convention: signed and sent back, accepted; the first tranche paid.
    let organisation = acta.application(&staff, id).await.unwrap().organisation_id;
    acta.add_bank_account(
        &staff,
        acta_domain::Id::new(organisation),
        &acta_app::input::BankAccountInput {
            holder: "Les Amis de l'Artisanat d'Arras".into(),
            bank_name: "Crédit Coopératif".into(),
            bank_address: None,
            iban: Some("FR7630006000011234567890189".into()),
            rib: None,
        },
    )
    .await
    .unwrap();
    let award = acta
        .application(&staff, id)
        .await
        .unwrap()
        .award_id
        .unwrap();
    let key: acta_domain::keys::AwardKey = format!("#{award}").parse().unwrap();
    acta.create_convention(
        &staff,
        &key,
        &acta_app::input::NewConvention {
            schedule: acta_app::input::ScheduleInput::LineList(vec![
                "12 000:signature".into(),
                "3 000:document:rapport d'activités:30/06+0".into(),
            ]),
            court: "tribunal administratif de LILLE".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    click_and_wait(
        c,
        Locator::XPath("//a[starts-with(normalize-space(), \"Suivre l'aide accordée\")]"),
        "l'aide",
    )
    .await;
    let page = body_text(c).await;
    assert!(page.contains("Télécharger la convention (PDF)"), "{page}");
    assert!(page.contains("la convention n'est pas signée"), "{page}");
    assert_accessible(c, axe, "aide : convention à signer").await;
    let grant_url = c.current_url().await?.to_string();
    c.find(Locator::Id("objet"))
        .await?
        .select_by_value("convention")
        .await?;
    upload(
        c,
        None,
        &files.join("convention.pdf"),
        "Envoyer le document",
    )
    .await;
    assert!(body_text(c).await.contains("En attente d'examen"));
    let sent = acta.pending_grant_documents().await.unwrap();
    let accept = acta_app::input::ReviewInput {
        decision: "accepter".into(),
        reason: String::new(),
    };
    acta.review_grant_document(&staff, sent[0].id, &accept)
        .await
        .unwrap();
    acta.record_payment(
        &staff,
        &key,
        &acta_app::input::PaymentInput {
            tranche: 1,
            date: "2024-01-30".into(),
            amount: "12 000".into(),
            reference: "M-2024-1".into(),
            mandate_date: None,
        },
    )
    .await
    .unwrap();

    // The activity report: accepted, the last tranche becomes payable and is paid.
    clock.set("2024-06-10T09:00:00Z");
    log_in_again(c, base).await?;
    c.goto(&grant_url).await?;
    assert!(
        body_text(c)
            .await
            .contains("attend la réception du rapport d'activités")
    );
    c.find(Locator::Id("objet"))
        .await?
        .select_by_value("piece")
        .await?;
    fill(c, "tranche", "2").await;
    fill(c, "description", "rapport d'activités 2024").await;
    upload(c, None, &files.join("rapport.pdf"), "Envoyer le document").await;
    let sent = acta.pending_grant_documents().await.unwrap();
    acta.review_grant_document(&staff, sent[0].id, &accept)
        .await
        .unwrap();
    c.goto(&grant_url).await?;
    let page = body_text(c).await;
    assert!(
        page.contains("Payable : le Département peut la verser"),
        "{page}"
    );
    acta.record_payment(
        &staff,
        &key,
        &acta_app::input::PaymentInput {
            tranche: 2,
            date: "2024-06-10".into(),
            amount: "3 000".into(),
            reference: "M-2024-2".into(),
            mandate_date: None,
        },
    )
    .await
    .unwrap();
    c.goto(&grant_url).await?;
    let page = body_text(c).await;
    assert_eq!(page.matches("Versée").count(), 2, "{page}");
    assert!(
        page.replace(['\u{202f}', '\u{a0}'], " ")
            .contains("3 000 € versés le 10 juin 2024 (tranche 2)"),
        "{page}"
    );
    assert_accessible(c, axe, "aide versée").await;
    click_button(c, "Se déconnecter").await;

    // The staff's pages of the same application.
    c.goto(&format!("{base}/gestion/demandes/{id}")).await?;
    fill(c, "identifiant", "administrateur").await;
    fill(c, "mot_de_passe", common::PASSWORD).await;
    click_button(c, "Se connecter").await;
    assert!(body_text(c).await.contains("Paragraphe du rapport"));
    assert_accessible(c, axe, "demande (agents)").await;
    for page in [
        "/gestion/demandes",
        "/gestion/dispositifs",
        "/gestion/pieces-beneficiaires",
    ] {
        c.goto(&format!("{base}{page}")).await?;
        assert_accessible(c, axe, page).await;
    }
    Ok(())
}

async fn log_in_again(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/connexion?suite=/beneficiaires"))
        .await?;
    fill(c, "identifiant", "amis.artisanat").await;
    fill(c, "mot_de_passe", ASSOCIATION_PASSWORD).await;
    click_button(c, "Se connecter").await;
    assert_eq!(c.current_url().await?.path(), "/beneficiaires");
    Ok(())
}

/// The seed's budget line, voted again for 2024: its operation code.
async fn seed_budget_line(acta: &Acta) -> String {
    acta.add_budget_line(
        &Actor::new("administrateur"),
        &acta_app::input::NewBudgetLine {
            year: 2024,
            operation_code: "C01-620A06".into(),
            label: "DÉVELOPPEMENT LOCAL".into(),
            imputation: "6568//9361".into(),
            voted: "500 000".into(),
        },
    )
    .await
    .unwrap();
    "C01-620A06".to_string()
}
